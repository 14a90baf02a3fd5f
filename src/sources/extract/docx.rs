//! Word (.docx) sources: the paragraphs of `word/document.xml` and the title in
//! `docProps/core.xml`.
//!
//! Each paragraph (`w:p`) becomes a line; runs' text (`w:t`), tabs (`w:tab`) and line
//! breaks (`w:br`, `w:cr`) are kept; deleted tracked changes (`w:delText`), field codes
//! (`w:instrText`) and headers, footers and footnotes (separate parts) are not read.
//! Automatic list numbering is not rendered, since Word computes it at display time.

use super::{ExtractError, RawText, too_large};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Most bytes one part may unpack to (64 MB): guards against zip bombs.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

const KIND: &str = "a Word document (.docx)";

pub(super) fn extract(bytes: &[u8], file: &str) -> Result<RawText, ExtractError> {
    let corrupt = |detail: String| ExtractError::Corrupt {
        file: file.to_owned(),
        kind: KIND,
        detail,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("it is not a zip archive ({e})")))?;
    let document = read_part(&mut archive, "word/document.xml", file)?.ok_or_else(|| {
        corrupt("the archive has no word/document.xml, so it is not a Word document".to_owned())
    })?;
    let text = document_text(&document)
        .map_err(|e| corrupt(format!("word/document.xml is not valid XML ({e})")))?;
    // A missing or broken title is no reason to refuse the text.
    let title = read_part(&mut archive, "docProps/core.xml", file)
        .ok()
        .flatten()
        .and_then(|core| core_title(&core));
    Ok(RawText {
        pages: vec![text],
        title,
        notes: Vec::new(),
    })
}

/// The unpacked text of one part, `None` when the archive has no such part.
fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    file: &str,
) -> Result<Option<String>, ExtractError> {
    let corrupt = |detail: String| ExtractError::Corrupt {
        file: file.to_owned(),
        kind: KIND,
        detail,
    };
    let part = match archive.by_name(name) {
        Ok(part) => part,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(format!("{name} can't be unpacked ({e})"))),
    };
    if part.size() > MAX_PART_BYTES {
        return Err(too_large(
            file.to_owned(),
            part.size(),
            MAX_PART_BYTES,
            " once unpacked",
        ));
    }
    // The declared size can lie: read at most one byte past the limit to find out.
    let mut unpacked = Vec::new();
    part.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut unpacked)
        .map_err(|e| corrupt(format!("{name} can't be unpacked ({e})")))?;
    if unpacked.len() as u64 > MAX_PART_BYTES {
        return Err(too_large(
            file.to_owned(),
            unpacked.len() as u64,
            MAX_PART_BYTES,
            " once unpacked",
        ));
    }
    String::from_utf8(unpacked)
        .map(Some)
        .map_err(|_| corrupt(format!("{name} is not UTF-8 text")))
}

/// The text of word/document.xml, one line per paragraph.
fn document_text(xml: &str) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    // Inside a w:t (text) element, whose content is document text; other text is not.
    let mut in_text = false;
    // Inside w:tabs, where w:tab defines a tab stop rather than being one.
    let mut in_tab_stops = false;
    loop {
        match reader.read_event()? {
            Event::Start(element) => match element.local_name().as_ref() {
                "t" => in_text = true,
                "tabs" => in_tab_stops = true,
                "tab" if !in_tab_stops => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                _ => {}
            },
            Event::Empty(element) => match element.local_name().as_ref() {
                "tab" if !in_tab_stops => text.push('\t'),
                // An empty paragraph is an empty line.
                "br" | "cr" | "p" => text.push('\n'),
                "noBreakHyphen" => text.push('-'),
                _ => {}
            },
            Event::End(element) => match element.local_name().as_ref() {
                "t" => in_text = false,
                "tabs" => in_tab_stops = false,
                "p" => text.push('\n'),
                _ => {}
            },
            Event::Text(content) if in_text => text.push_str(&content.xml10_content()),
            Event::CData(content) if in_text => text.push_str(&content.xml10_content()),
            Event::GeneralRef(reference) if in_text => {
                text.push_str(&resolve_reference(&reference));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(text)
}

/// The character an entity reference stands for ("amp" → "&", "#x41" → "A").
fn resolve_reference(name: &str) -> String {
    quick_xml::escape::unescape(&format!("&{name};"))
        .map(|text| text.into_owned())
        .unwrap_or_default()
}

/// The dc:title of docProps/core.xml, if present and not blank.
fn core_title(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(element) if element.name().as_ref() == "dc:title" => in_title = true,
            Event::End(element) if element.name().as_ref() == "dc:title" => break,
            Event::Text(content) if in_title => title.push_str(&content.xml10_content()),
            Event::GeneralRef(reference) if in_title => {
                title.push_str(&resolve_reference(&reference));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tabs_breaks_and_entities() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Article 15 &amp; more</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">a </w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c&#x2013;d</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText><w:t>e</w:t><w:noBreakHyphen/><w:t>mail</w:t></w:r></w:p>
        </w:body></w:document>"#;
        let text = document_text(xml).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text, "Article 15 & more\na \tb\nc\u{2013}d\n\ne-mail\n");
    }

    #[test]
    fn title_from_core_properties() {
        let xml = r#"<cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Paris Call &amp; Co</dc:title></cp:coreProperties>"#;
        assert_eq!(core_title(xml), Some("The Paris Call & Co".to_owned()));
        assert_eq!(
            core_title("<cp:coreProperties><dc:title/></cp:coreProperties>"),
            None
        );
    }

    #[test]
    fn not_a_zip_and_zip_without_document_are_refused() {
        let message = |bytes: &[u8]| {
            extract(bytes, "letter.docx")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let not_zip = message(b"plain text");
        assert!(
            not_zip.starts_with("letter.docx could not be read as a Word document"),
            "{not_zip}"
        );
        assert!(not_zip.contains("not a zip archive"), "{not_zip}");

        let mut zipped = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut zipped);
        let started = writer.start_file("content.xml", zip::write::SimpleFileOptions::default());
        assert!(started.is_ok());
        assert!(writer.finish().is_ok());
        let no_document = message(zipped.get_ref());
        assert!(
            no_document.contains("no word/document.xml"),
            "{no_document}"
        );
    }
}
