//! REFI-QDA export (`.qdpx`): a zip of `project.qde` (QDA-XML 1.0, namespace
//! `urn:QDA-XML:project:1.0`) and `Sources/<guid>.txt`, the exchange format of NVivo, MAXQDA,
//! ATLAS.ti and QualCoder. The mapping is documented in `docs/refi-qda.md`.

use crate::model::text::without_forbidden_controls;
use crate::model::{
    AgreementId, Assessment, Cell, Element, ElementId, Excerpt, Framework, Note, NoteTarget,
    Project, Source,
};
use crate::sources::anchor::{Resolver, char_offset_from_byte};
use crate::sources::evidence::{ExcerptState, check_excerpt};
use chrono::{DateTime, NaiveDate, Utc};
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use uuid::Uuid;

/// The assessment values that become child codes of each element, in display order.
const CODED_VALUES: [Assessment; 3] = [Assessment::Yes, Assessment::Indirect, Assessment::No];

/// What went wrong building a `.qdpx`; writing it to disk reports its own errors.
#[derive(Debug, thiserror::Error)]
pub enum QdpxError {
    #[error(
        "could not build the REFI-QDA file's project.qde: {0}. Nothing was written; please report \
         this with the project file."
    )]
    Xml(#[from] std::io::Error),
    #[error(
        "could not build the REFI-QDA zip archive: {0}. Nothing was written; please report this \
         with the project file."
    )]
    Zip(#[from] zip::result::ZipError),
    /// Two items of one kind share an id: they would share a GUID (or a file in the zip),
    /// and a QDA tool would merge them or refuse the file. Which one is meant is a guess.
    #[error(
        "the project has duplicate ids ({}), which would give two items one identity in the \
         REFI-QDA file. Nothing was written; run `normgrid check` on the project, give each \
         item its own id, and export again.",
        .0.join("; ")
    )]
    DuplicateIds(Vec<String>),
}

/// What an export holds, for the one-line summary the CLI and the GUI print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QdpxSummary {
    pub cases: usize,
    /// Framework, element and assessment-value codes.
    pub codes: usize,
    pub sources: usize,
    /// Quotes found in their source: coded `PlainTextSelection`s.
    pub selections: usize,
    /// Every `Note`, including the quotes exported as notes.
    pub notes: usize,
    /// Quotes with no source, or not found in it, exported as notes on their case.
    pub quotes_as_notes: usize,
    pub users: usize,
}

impl QdpxSummary {
    /// "20 cases, 75 codes, 1 source, 21 coded quotes, 30 notes (2 quotes without a place in
    /// a source)".
    pub fn line(&self) -> String {
        use crate::model::text::counted;
        let mut line = format!(
            "{}, {}, {}, {}, {}",
            counted(self.cases, "case", "cases"),
            counted(self.codes, "code", "codes"),
            counted(self.sources, "source", "sources"),
            counted(self.selections, "coded quote", "coded quotes"),
            counted(self.notes, "note", "notes"),
        );
        if self.quotes_as_notes > 0 {
            line.push_str(&format!(
                " ({} without a place in a source (a locator alone, or a quote not anchored), \
                 exported as notes)",
                counted(self.quotes_as_notes, "excerpt", "excerpts")
            ));
        }
        line
    }
}

/// A finished `.qdpx`: the zip's bytes and what it holds.
#[derive(Clone, Debug)]
pub struct QdpxExport {
    pub bytes: Vec<u8>,
    pub summary: QdpxSummary,
}

/// The project as a REFI-QDA project: the zip's bytes, identical for identical projects.
pub fn project_to_qdpx(project: &Project) -> Result<QdpxExport, QdpxError> {
    refuse_duplicate_ids(project)?;
    let plan = Plan::new(project);
    let qde = plan.project_qde()?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time stamp keeps a re-export byte for byte the same.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT);
    zip.start_file("project.qde", options)?;
    zip.write_all(&qde)?;
    for source in &project.sources {
        let guid = plan.guids.source(source);
        zip.start_file(format!("Sources/{guid}.txt"), options)?;
        zip.write_all(source.text.as_bytes())?;
    }
    let bytes = zip.finish()?.into_inner();
    Ok(QdpxExport {
        bytes,
        summary: plan.summary(),
    })
}

/// `project.qde` alone, for tests and tools that want the XML without the zip.
pub fn project_qde(project: &Project) -> Result<Vec<u8>, QdpxError> {
    refuse_duplicate_ids(project)?;
    Plan::new(project).project_qde()
}

/// Refuses a project in which two frameworks, elements, agreements or sources share an id
/// (what `check` calls a duplicate): each of those ids becomes a GUID, and each source id a
/// file name in the zip. Repeated note and excerpt ids are told apart by position already.
fn refuse_duplicate_ids(project: &Project) -> Result<(), QdpxError> {
    const KINDS_WITH_ONE_GUID: [&str; 4] = ["framework", "element", "agreement", "source"];
    let duplicates: Vec<String> = crate::model::validate::problems(project)
        .into_iter()
        .filter_map(|problem| match problem {
            crate::model::validate::Problem::DuplicateId { kind, id }
                if KINDS_WITH_ONE_GUID.contains(&kind) =>
            {
                Some(format!("{kind} `{id}`"))
            }
            _ => None,
        })
        .collect();
    if duplicates.is_empty() {
        Ok(())
    } else {
        Err(QdpxError::DuplicateIds(duplicates))
    }
}

/// Name-based GUIDs (UUID v5): the same project, kind and id always give the same GUID, so a
/// re-export reads as the same project in a QDA tool.
struct Guids {
    namespace: Uuid,
}

impl Guids {
    fn new(project: &Project) -> Self {
        let name = format!("urn:normgrid:project:{}", project.id);
        Self {
            namespace: Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()),
        }
    }

    /// The GUID of one item; parts are joined with a unit separator, which ids never hold.
    fn of(&self, kind: &str, parts: &[&str]) -> String {
        let mut name = kind.to_owned();
        for part in parts {
            name.push('\u{1f}');
            name.push_str(part);
        }
        Uuid::new_v5(&self.namespace, name.as_bytes())
            .hyphenated()
            .to_string()
    }

    /// Like [`Self::of`], but never a GUID already in `taken`: a file with a repeated note or
    /// excerpt id (which `normgrid check` reports) still gets one GUID per item.
    fn unique(&self, taken: &mut HashSet<String>, kind: &str, parts: &[&str]) -> String {
        let mut guid = self.of(kind, parts);
        while taken.contains(&guid) {
            guid = self.of("again", &[&guid]);
        }
        taken.insert(guid.clone());
        guid
    }

    fn source(&self, source: &Source) -> String {
        self.of("source", &[source.id.as_str()])
    }

    fn element_code(&self, element: &ElementId) -> String {
        self.of("element-code", &[element.as_str()])
    }

    fn value_code(&self, element: &ElementId, value: Assessment) -> String {
        self.of("value-code", &[element.as_str(), value.label()])
    }

    fn case(&self, agreement: &AgreementId) -> String {
        self.of("case", &[agreement.as_str()])
    }

    fn user(&self, name: &str) -> String {
        self.of("user", &[name])
    }
}

/// A quote found in its source: where, in characters, and what it codes.
struct Selection<'p> {
    agreement: &'p AgreementId,
    element: &'p ElementId,
    excerpt: &'p Excerpt,
    /// Code point offsets, as REFI-QDA counts (0-based, end exclusive).
    start: usize,
    end: usize,
    guid: String,
}

/// What a REFI-QDA `Note` is made from.
enum NoteSource<'p> {
    /// A discussion or review note of the project.
    Note(&'p Note),
    /// A cell's own note field and review status.
    Cell {
        agreement: &'p AgreementId,
        element: &'p ElementId,
        cell: &'p Cell,
    },
    /// A quote that could not become a selection.
    Quote {
        agreement: &'p AgreementId,
        element: &'p ElementId,
        excerpt: &'p Excerpt,
        why: &'static str,
    },
}

/// One `Note` with everything needed to write and link it.
struct PlannedNote<'p> {
    guid: String,
    what: NoteSource<'p>,
}

impl PlannedNote<'_> {
    /// The case that links to the note, if it concerns an agreement.
    fn agreement(&self) -> Option<&AgreementId> {
        match &self.what {
            NoteSource::Note(note) => match &note.target {
                NoteTarget::Agreement(a) | NoteTarget::Cell(a, _) => Some(a),
                NoteTarget::Project | NoteTarget::Element(_) => None,
            },
            NoteSource::Cell { agreement, .. } | NoteSource::Quote { agreement, .. } => {
                Some(agreement)
            }
        }
    }

    /// The element whose code the note is coded with (element notes hang on the code instead).
    fn coded_element(&self, project: &Project) -> Option<&ElementId> {
        let element = match &self.what {
            NoteSource::Note(note) => match &note.target {
                NoteTarget::Cell(_, e) => Some(e),
                NoteTarget::Project | NoteTarget::Agreement(_) | NoteTarget::Element(_) => None,
            },
            NoteSource::Cell { element, .. } | NoteSource::Quote { element, .. } => Some(*element),
        };
        element.filter(|e| project.element(e).is_some())
    }
}

/// Everything decided before writing: GUIDs, users, where each quote goes, which notes exist.
struct Plan<'p> {
    project: &'p Project,
    guids: Guids,
    /// User name → GUID, sorted by name.
    users: BTreeMap<&'p str, String>,
    /// Per source id, its selections in cell order.
    selections: HashMap<&'p str, Vec<Selection<'p>>>,
    notes: Vec<PlannedNote<'p>>,
    /// The latest time stamp in the project: the export's "modified" time.
    modified: DateTime<Utc>,
}

impl<'p> Plan<'p> {
    fn new(project: &'p Project) -> Self {
        let guids = Guids::new(project);
        let mut user_names: BTreeSet<&str> = BTreeSet::new();
        let mut latest = midnight(project.as_of);
        let mut selections: HashMap<&str, Vec<Selection<'_>>> = HashMap::new();
        let mut notes = Vec::new();
        let mut taken = HashSet::new();
        for note in &project.notes {
            user_names.insert(note.author.trim());
            latest = latest.max(midnight(note.date));
            notes.push(PlannedNote {
                guid: guids.unique(&mut taken, "note", &[note.id.as_str()]),
                what: NoteSource::Note(note),
            });
        }
        let sources: HashMap<&str, &Source> =
            project.sources.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut resolvers: HashMap<&str, Resolver<'_>> = HashMap::new();
        for (agreement, element, cell) in project.cells.iter() {
            if project.agreement(agreement).is_none() || project.element(element).is_none() {
                continue; // a stray cell (see `normgrid check`): no case or code to hang it on
            }
            user_names.insert(cell.edited_by.trim());
            user_names.insert(cell.reviewed_by.trim());
            latest = latest.max(cell.edited_at.unwrap_or(latest));
            latest = latest.max(cell.reviewed_at.unwrap_or(latest));
            if !cell.note.trim().is_empty() || cell.review != Default::default() {
                notes.push(PlannedNote {
                    guid: guids.unique(
                        &mut taken,
                        "cell-note",
                        &[agreement.as_str(), element.as_str()],
                    ),
                    what: NoteSource::Cell {
                        agreement,
                        element,
                        cell,
                    },
                });
            }
            for excerpt in &cell.evidence {
                user_names.insert(excerpt.added_by.trim());
                latest = latest.max(excerpt.added_at.unwrap_or(latest));
                let ids = [agreement.as_str(), element.as_str(), excerpt.id.as_str()];
                let source = excerpt
                    .source
                    .as_ref()
                    .and_then(|id| sources.get(id.as_str()).copied());
                let placed = source.and_then(|source| {
                    let resolver = resolvers
                        .entry(source.id.as_str())
                        .or_insert_with(|| Resolver::new(&source.text));
                    found_range(resolver, excerpt).map(|range| (source, range))
                });
                match placed {
                    Some((source, range)) => {
                        selections
                            .entry(source.id.as_str())
                            .or_default()
                            .push(Selection {
                                agreement,
                                element,
                                excerpt,
                                start: char_offset_from_byte(&source.text, range.start),
                                end: char_offset_from_byte(&source.text, range.end),
                                guid: guids.unique(&mut taken, "selection", &ids),
                            });
                    }
                    None => notes.push(PlannedNote {
                        guid: guids.unique(&mut taken, "quote-note", &ids),
                        what: NoteSource::Quote {
                            agreement,
                            element,
                            excerpt,
                            why: match (&excerpt.source, source) {
                                _ if excerpt.exact.trim().is_empty() => "a locator without a quote",
                                (None, _) => "no source",
                                (Some(_), None) => "its source is not in the project",
                                (Some(_), Some(_)) => "not found in its source",
                            },
                        },
                    }),
                }
            }
        }
        user_names.remove("");
        let users = user_names
            .into_iter()
            .map(|name| (name, guids.user(name)))
            .collect();
        Self {
            project,
            guids,
            users,
            selections,
            notes,
            modified: latest,
        }
    }

    fn summary(&self) -> QdpxSummary {
        let codes = self
            .project
            .frameworks
            .iter()
            .map(|f| 1 + f.elements.len() * (1 + CODED_VALUES.len()))
            .sum();
        QdpxSummary {
            cases: self.project.agreements.len(),
            codes,
            sources: self.project.sources.len(),
            selections: self.selections.values().map(Vec::len).sum(),
            notes: self.notes.len(),
            quotes_as_notes: self
                .notes
                .iter()
                .filter(|n| matches!(n.what, NoteSource::Quote { .. }))
                .count(),
            users: self.users.len(),
        }
    }

    fn user(&self, name: &str) -> Option<&str> {
        self.users.get(name.trim()).map(String::as_str)
    }

    fn project_qde(&self) -> Result<Vec<u8>, QdpxError> {
        let mut xml = Xml::new();
        xml.declaration()?;
        let modified = timestamp(self.modified);
        let origin = format!("normgrid {}", env!("CARGO_PKG_VERSION"));
        xml.start(
            "Project",
            &[
                ("xmlns", "urn:QDA-XML:project:1.0"),
                ("name", &self.project.title),
                ("origin", &origin),
                ("creationDateTime", &timestamp(midnight(self.project.as_of))),
                ("modifiedDateTime", &modified),
            ],
        )?;
        self.users_xml(&mut xml)?;
        self.codebook_xml(&mut xml)?;
        self.variables_xml(&mut xml)?;
        self.cases_xml(&mut xml)?;
        self.sources_xml(&mut xml)?;
        self.notes_xml(&mut xml)?;
        self.links_xml(&mut xml)?;
        if !self.project.description.trim().is_empty() {
            xml.text_element("Description", &self.project.description)?;
        }
        for note in &self.notes {
            if let NoteSource::Note(n) = note.what
                && n.target == NoteTarget::Project
            {
                xml.empty("NoteRef", &[("targetGUID", &note.guid)])?;
            }
        }
        xml.end("Project")?;
        Ok(xml.finish())
    }

    fn users_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        if self.users.is_empty() {
            return Ok(()); // the schema wants at least one User inside Users
        }
        xml.start("Users", &[])?;
        for (name, guid) in &self.users {
            xml.empty("User", &[("guid", guid), ("name", name)])?;
        }
        xml.end("Users")?;
        Ok(())
    }

    fn codebook_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        if self.project.frameworks.is_empty() {
            return Ok(()); // Codes needs at least one Code
        }
        xml.start("CodeBook", &[])?;
        xml.start("Codes", &[])?;
        for framework in &self.project.frameworks {
            self.framework_code_xml(xml, framework)?;
        }
        xml.end("Codes")?;
        xml.end("CodeBook")?;
        Ok(())
    }

    fn framework_code_xml(&self, xml: &mut Xml, framework: &Framework) -> Result<(), QdpxError> {
        let guid = self.guids.of("framework-code", &[framework.id.as_str()]);
        // A framework only groups its elements: nothing is coded with it.
        xml.start(
            "Code",
            &[
                ("guid", &guid),
                ("name", &framework.name),
                ("isCodable", "false"),
            ],
        )?;
        if !framework.description.trim().is_empty() {
            xml.text_element("Description", &framework.description)?;
        }
        for element in &framework.elements {
            self.element_code_xml(xml, element)?;
        }
        xml.end("Code")?;
        Ok(())
    }

    fn element_code_xml(&self, xml: &mut Xml, element: &Element) -> Result<(), QdpxError> {
        xml.start(
            "Code",
            &[
                ("guid", &self.guids.element_code(&element.id)),
                ("name", &element.display_name()),
                ("isCodable", "true"),
            ],
        )?;
        if !element.definition.trim().is_empty() {
            xml.text_element("Description", &element.definition)?;
        }
        for note in &self.notes {
            if let NoteSource::Note(n) = note.what
                && n.target == NoteTarget::Element(element.id.clone())
            {
                xml.empty("NoteRef", &[("targetGUID", &note.guid)])?;
            }
        }
        let short = if element.label.is_empty() {
            element.name.as_str()
        } else {
            element.label.as_str()
        };
        for value in CODED_VALUES {
            let name = format!("{short}: {}", value.label());
            xml.start(
                "Code",
                &[
                    ("guid", &self.guids.value_code(&element.id, value)),
                    ("name", &name),
                    ("isCodable", "true"),
                    ("color", value_colour(value)),
                ],
            )?;
            let description = format!(
                "Agreements (cases) assessed {} for {}.",
                value.label(),
                element.display_name()
            );
            xml.text_element("Description", &description)?;
            xml.end("Code")?;
        }
        xml.end("Code")?;
        Ok(())
    }

    fn variables_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        if self.project.agreements.is_empty() {
            return Ok(());
        }
        xml.start("Variables", &[])?;
        for (name, kind, description) in VARIABLES {
            xml.start(
                "Variable",
                &[
                    ("guid", &self.guids.of("variable", &[name])),
                    ("name", name),
                    ("typeOfVariable", kind),
                ],
            )?;
            xml.text_element("Description", description)?;
            xml.end("Variable")?;
        }
        xml.end("Variables")?;
        Ok(())
    }

    fn cases_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        if self.project.agreements.is_empty() {
            return Ok(());
        }
        let mut selections_by_agreement: HashMap<&AgreementId, Vec<&str>> = HashMap::new();
        for source in &self.project.sources {
            for selection in self
                .selections
                .get(source.id.as_str())
                .into_iter()
                .flatten()
            {
                selections_by_agreement
                    .entry(selection.agreement)
                    .or_default()
                    .push(&selection.guid);
            }
        }
        xml.start("Cases", &[])?;
        for agreement in &self.project.agreements {
            xml.start(
                "Case",
                &[
                    ("guid", &self.guids.case(&agreement.id)),
                    ("name", &agreement.name),
                ],
            )?;
            let description = [
                agreement.short_name.as_str(),
                agreement.supporters.as_str(),
                agreement.url.as_str(),
                agreement.summary.as_str(),
            ]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
            if !description.is_empty() {
                xml.text_element("Description", &description)?;
            }
            for (_, element) in self.project.elements() {
                let value = self.project.assessment(&agreement.id, &element.id);
                if CODED_VALUES.contains(&value) {
                    let code = self.guids.value_code(&element.id, value);
                    xml.empty("CodeRef", &[("targetGUID", &code)])?;
                }
            }
            let year = agreement.year.map(|y| y.to_string());
            let values = [
                ("Year", "IntegerValue", year.as_deref()),
                ("Space", "TextValue", Some(agreement.space.label())),
                ("Binding", "TextValue", Some(agreement.binding.label())),
            ];
            for (variable, tag, value) in values {
                let Some(value) = value else { continue };
                xml.start("VariableValue", &[])?;
                let guid = self.guids.of("variable", &[variable]);
                xml.empty("VariableRef", &[("targetGUID", &guid)])?;
                xml.text_element(tag, value)?;
                xml.end("VariableValue")?;
            }
            for source in self.project.sources_of(&agreement.id) {
                xml.empty("SourceRef", &[("targetGUID", &self.guids.source(source))])?;
            }
            for guid in selections_by_agreement
                .get(&agreement.id)
                .into_iter()
                .flatten()
            {
                xml.empty("SelectionRef", &[("targetGUID", guid)])?;
            }
            xml.end("Case")?;
        }
        xml.end("Cases")?;
        Ok(())
    }

    fn sources_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        if self.project.sources.is_empty() {
            return Ok(());
        }
        xml.start("Sources", &[])?;
        for source in &self.project.sources {
            let guid = self.guids.source(source);
            let path = format!("internal://{guid}.txt");
            let retrieved = source.retrieved.map(|d| timestamp(midnight(d)));
            let mut attributes = vec![
                ("guid", guid.as_str()),
                ("name", source.title.as_str()),
                ("plainTextPath", path.as_str()),
            ];
            if let Some(retrieved) = &retrieved {
                attributes.push(("creationDateTime", retrieved));
            }
            xml.start("TextSource", &attributes)?;
            let description = [
                format!("{} file: {}", source.kind.label(), source.file_name),
                source.url.clone(),
                if source.sha256.is_empty() {
                    String::new()
                } else {
                    format!("sha256 {}", source.sha256)
                },
            ]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
            xml.text_element("Description", &description)?;
            for selection in self
                .selections
                .get(source.id.as_str())
                .into_iter()
                .flatten()
            {
                self.selection_xml(xml, selection)?;
            }
            xml.end("TextSource")?;
        }
        xml.end("Sources")?;
        Ok(())
    }

    fn selection_xml(&self, xml: &mut Xml, selection: &Selection<'_>) -> Result<(), QdpxError> {
        let excerpt = selection.excerpt;
        let start = selection.start.to_string();
        let end = selection.end.to_string();
        let user = self.user(&excerpt.added_by);
        let created = excerpt.added_at.map(timestamp);
        let name = selection_name(excerpt);
        let mut attributes = vec![
            ("guid", selection.guid.as_str()),
            ("name", name.as_str()),
            ("startPosition", start.as_str()),
            ("endPosition", end.as_str()),
        ];
        let mut coding = vec![];
        if let Some(user) = user {
            attributes.push(("creatingUser", user));
            coding.push(("creatingUser", user));
        }
        if let Some(created) = &created {
            attributes.push(("creationDateTime", created));
            coding.push(("creationDateTime", created));
        }
        xml.start("PlainTextSelection", &attributes)?;
        if !excerpt.comment.trim().is_empty() {
            xml.text_element("Description", &excerpt.comment)?;
        }
        let guid = self.guids.of("coding", &[&selection.guid]);
        coding.insert(0, ("guid", guid.as_str()));
        xml.start("Coding", &coding)?;
        let code = self.guids.element_code(selection.element);
        xml.empty("CodeRef", &[("targetGUID", &code)])?;
        xml.end("Coding")?;
        xml.end("PlainTextSelection")?;
        Ok(())
    }

    fn notes_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        if self.notes.is_empty() {
            return Ok(());
        }
        xml.start("Notes", &[])?;
        for note in &self.notes {
            let (name, author, created, content) = self.note_parts(note);
            let created = timestamp(created);
            let mut attributes = vec![("guid", note.guid.as_str()), ("name", name.as_str())];
            if let Some(user) = self.user(author) {
                attributes.push(("creatingUser", user));
            }
            // QualCoder's importer needs a creation or modification time on every note.
            attributes.push(("creationDateTime", &created));
            xml.start("Note", &attributes)?;
            xml.text_element("PlainTextContent", &content)?;
            if let Some(element) = note.coded_element(self.project) {
                let guid = self.guids.of("note-coding", &[&note.guid]);
                xml.start("Coding", &[("guid", &guid)])?;
                let code = self.guids.element_code(element);
                xml.empty("CodeRef", &[("targetGUID", &code)])?;
                xml.end("Coding")?;
            }
            xml.end("Note")?;
        }
        xml.end("Notes")?;
        Ok(())
    }

    /// A note's name, author, time and text.
    fn note_parts(&self, note: &PlannedNote<'p>) -> (String, &'p str, DateTime<Utc>, String) {
        let as_of = midnight(self.project.as_of);
        match note.what {
            NoteSource::Note(n) => {
                let about = match &n.target {
                    NoteTarget::Project => "the project".to_owned(),
                    NoteTarget::Agreement(a) => self.project.agreement_label(a),
                    NoteTarget::Element(e) => self.project.element_label(e),
                    NoteTarget::Cell(a, e) => self.project.cell_label(a, e),
                };
                let name = format!("{} by {} on {about}", n.kind.label(), n.author.trim());
                (name, n.author.as_str(), midnight(n.date), n.text.clone())
            }
            NoteSource::Cell {
                agreement,
                element,
                cell,
            } => {
                let mut content = cell.note.clone();
                if cell.review != Default::default() {
                    let mut status = format!("Review status: {}", cell.review.label());
                    if !cell.reviewed_by.trim().is_empty() {
                        status.push_str(&format!(" (by {})", cell.reviewed_by.trim()));
                    }
                    if !content.is_empty() {
                        content.push_str("\n\n");
                    }
                    content.push_str(&status);
                }
                let name = format!(
                    "Cell note on {}",
                    self.project.cell_label(agreement, element)
                );
                let time = cell.edited_at.or(cell.reviewed_at).unwrap_or(as_of);
                (name, cell.edited_by.as_str(), time, content)
            }
            NoteSource::Quote {
                agreement,
                element,
                excerpt,
                why,
            } => {
                let mut content = excerpt.exact.clone();
                for (label, value) in [("Locator", &excerpt.locator), ("Comment", &excerpt.comment)]
                {
                    if !value.trim().is_empty() {
                        content.push_str(&format!("\n\n{label}: {value}"));
                    }
                }
                content.push_str(&format!("\n\n(Exported as a note: {why}.)"));
                let name = format!("Quote for {}", self.project.cell_label(agreement, element));
                let time = excerpt.added_at.unwrap_or(as_of);
                (name, excerpt.added_by.as_str(), time, content)
            }
        }
    }

    /// Cases have no `NoteRef` in the schema: a `Link` from the case to each of its notes.
    fn links_xml(&self, xml: &mut Xml) -> Result<(), QdpxError> {
        let links: Vec<(&AgreementId, &PlannedNote<'_>)> = self
            .notes
            .iter()
            .filter_map(|note| note.agreement().map(|a| (a, note)))
            .filter(|(a, _)| self.project.agreement(a).is_some())
            .collect();
        if links.is_empty() {
            return Ok(());
        }
        xml.start("Links", &[])?;
        for (agreement, note) in links {
            let guid = self.guids.of("link", &[&note.guid]);
            xml.empty(
                "Link",
                &[
                    ("guid", &guid),
                    ("name", "note"),
                    ("direction", "OneWay"),
                    ("originGUID", &self.guids.case(agreement)),
                    ("targetGUID", &note.guid),
                ],
            )?;
        }
        xml.end("Links")?;
        Ok(())
    }
}

/// The case variables: name, REFI-QDA type, description.
const VARIABLES: [(&str, &str, &str); 3] = [
    ("Year", "Integer", "The year the agreement was made."),
    (
        "Space",
        "Text",
        "Where it was made: within a stakeholder group, across stakeholder groups, or at the \
         United Nations (BPF 2019 report, section III.b).",
    ),
    (
        "Binding",
        "Text",
        "How binding it is on its signatories (BPF 2019 report, section III.c).",
    ),
];

/// The byte range of the source text that is the quote, when the quote is found there exactly
/// or after normalising (whitespace, quote marks, dashes): the source's own wording of it.
/// A near match (changed text) or a missing quote has no range.
fn found_range(resolver: &Resolver<'_>, excerpt: &Excerpt) -> Option<std::ops::Range<usize>> {
    if excerpt.exact.trim().is_empty() {
        return None; // a locator alone selects nothing
    }
    // Judged as `normgrid check` judges it; a near match is not the quote.
    let state = check_excerpt(resolver, excerpt);
    match state {
        ExcerptState::Verified { .. } | ExcerptState::Relocated { .. } => state.located(excerpt),
        ExcerptState::Changed { .. }
        | ExcerptState::Missing
        | ExcerptState::Undecided { .. }
        | ExcerptState::Unsourced
        | ExcerptState::NoSuchSource => None,
    }
}

/// A selection's name in lists: its locator, or the quote's first words when it has none.
fn selection_name(excerpt: &Excerpt) -> String {
    if !excerpt.locator.trim().is_empty() {
        return excerpt.locator.clone();
    }
    let words: Vec<&str> = excerpt.exact.split_whitespace().collect();
    if words.len() > 8 {
        format!("{} …", words[..8].join(" "))
    } else {
        words.join(" ")
    }
}

fn value_colour(value: Assessment) -> &'static str {
    match value {
        Assessment::Yes => "#2E7D32",
        Assessment::Indirect => "#F9A825",
        Assessment::No | Assessment::NotAssessed => "#C62828",
    }
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// `xsd:dateTime` in UTC, to the second.
fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Text for XML: forbidden control characters replaced (XML 1.0 cannot carry them), markup
/// characters escaped, and line breaks and tabs written as character references where a
/// parser would otherwise change them (`\r` everywhere; `\n` and `\t` in attributes).
fn escaped(text: &str, in_attribute: bool) -> String {
    let clean = without_forbidden_controls(text);
    let escaped = quick_xml::escape::escape(clean.as_ref());
    let needs_refs = escaped.contains('\r')
        || (in_attribute && (escaped.contains('\n') || escaped.contains('\t')));
    if !needs_refs {
        return escaped.into_owned();
    }
    let mut out = String::with_capacity(escaped.len() + 8);
    for c in escaped.chars() {
        match c {
            '\r' => out.push_str("&#13;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            other => out.push(other),
        }
    }
    out
}

/// An indenting quick-xml writer over a byte buffer, with the escaping above.
struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    fn new() -> Self {
        Self {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
        }
    }

    fn declaration(&mut self) -> std::io::Result<()> {
        self.writer.write_event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )))
    }

    fn tag<'a>(name: &'a str, attributes: &[(&'a str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Owned(escaped(value, true)),
            });
        }
        start
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::tag(name, attributes)))
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::tag(name, attributes)))
    }

    fn end(&mut self, name: &str) -> std::io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>` on one line, the text kept exactly.
    fn text_element(&mut self, name: &str, text: &str) -> std::io::Result<()> {
        self.writer
            .create_element(name)
            .write_text_content(BytesText::from_escaped(escaped(text, false)))?;
        Ok(())
    }

    fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_markup_and_line_breaks_as_text_and_drops_controls() {
        assert_eq!(escaped("a<b & ]]>", false), "a&lt;b &amp; ]]&gt;");
        assert_eq!(escaped("x\r\ny\u{7}", false), "x&#13;\ny\u{FFFD}");
        assert_eq!(escaped("\"q\"\n\t", true), "&quot;q&quot;&#10;&#9;");
    }

    #[test]
    fn guids_are_uuids_that_depend_on_project_kind_and_id() {
        let project = Project::new("T", NaiveDate::MIN);
        let guids = Guids::new(&project);
        let case = guids.case(&AgreementId::new("paris-call"));
        assert_eq!(case, guids.case(&AgreementId::new("paris-call")));
        assert_ne!(case, guids.of("user", &["paris-call"]));
        assert_eq!(
            Uuid::parse_str(&case).map(|u| u.get_version_num()).ok(),
            Some(5)
        );
        let mut other = project.clone();
        other.id = crate::model::ProjectId::new("prj-other");
        assert_ne!(
            case,
            Guids::new(&other).case(&AgreementId::new("paris-call"))
        );
    }
}
