//! Stable identifiers. Everything in a project is referenced by id, never by position,
//! so sorting, filtering, reordering and merging can never move a value onto another row.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $fallback:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an existing id (from a file or a test).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// A new id that will not collide with ids made on another volunteer's machine:
            /// a readable slug of `name` plus a random suffix.
            pub fn generate(name: &str) -> Self {
                Self(generated_id($prefix, name))
            }

            /// A readable id for a new item: the slug of `name`, with `-2`, `-3`… appended
            /// when `taken` says the plain slug is in use (see `docs/project-format.md`).
            pub fn readable(name: &str, taken: impl Fn(&str) -> bool) -> Self {
                Self(unique_slug(name, $fallback, taken))
            }

            /// The id as written in project files.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }
    };
}

string_id!(
    /// Identifies an agreement (a grid row).
    AgreementId,
    "agr",
    "agreement"
);
string_id!(
    /// Identifies an element (a grid column), unique across all frameworks.
    ElementId,
    "el",
    "element"
);
string_id!(
    /// Identifies a framework, a named group of elements.
    FrameworkId,
    "fw",
    "framework"
);
string_id!(
    /// Identifies a numbered provision, unique within its agreement.
    ProvisionId,
    "p",
    "provision"
);
string_id!(
    /// Identifies a stakeholder initiative.
    InitiativeId,
    "ini",
    "initiative"
);
string_id!(
    /// Identifies a note.
    NoteId,
    "note",
    "note"
);
string_id!(
    /// Identifies a source text (a treaty's PDF, a report), unique in the project.
    SourceId,
    "src",
    "source"
);
string_id!(
    /// Identifies an evidence excerpt, unique within its cell.
    ExcerptId,
    "ex",
    "excerpt"
);
string_id!(
    /// Identifies a project, so that a reviewer's verdicts can't be applied to another one.
    /// Made once, when the project is created (or migrated); renaming keeps it.
    ProjectId,
    "prj",
    "project"
);
string_id!(
    /// Identifies a saved view (named filters, sort and shown frameworks).
    ViewId,
    "view",
    "view"
);

/// `prefix-slug-xxxxxx`: readable in diffs, random enough that two volunteers adding
/// "New agreement" on their own laptops get different ids.
fn generated_id(prefix: &str, name: &str) -> String {
    let slug = slug_from_name(name, 24);
    let suffix: String = (0..6)
        .map(|_| {
            let alphabet = b"abcdefghijkmnpqrstuvwxyz23456789";
            char::from(alphabet[fastrand::usize(..alphabet.len())])
        })
        .collect();
    if slug.is_empty() {
        format!("{prefix}-{suffix}")
    } else {
        format!("{prefix}-{slug}-{suffix}")
    }
}

/// Longest slug a readable id starts from, before any `-2` suffix.
pub const SLUG_MAX_LEN: usize = 40;

/// `slug(name)`, or `fallback` when the name has no letters or digits, made unique with
/// `-2`, `-3`… The first free one wins, so ids read like the names they came from.
pub fn unique_slug(name: &str, fallback: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = slug_from_name(name, SLUG_MAX_LEN);
    if base.is_empty() {
        fallback.clone_into(&mut base);
    }
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(base)
}

/// Up to `limit` of `candidates` closest to `wanted` by edit distance relative to length
/// (case-insensitive), closest first: the "did you mean" list for an unknown id. Relative, so
/// a short unrelated id does not beat a long one that shares most of the letters.
pub fn closest_ids<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_levenshtein(&wanted, &c.to_lowercase()),
                c,
            )
        })
        .collect();
    // Stable: equally close ids keep the file's order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// The ASCII spelling of a common accented Latin letter (`é` → `e`, `ß` → `ss`), so that
/// "Déclaration" slugs to `declaration` rather than `d-claration`.
fn ascii_from_accented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Lower-case ASCII slug of at most `max_len` characters, words joined by `-`; accented
/// Latin letters lose their accents, other characters separate words.
pub fn slug_from_name(name: &str, max_len: usize) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match ascii_from_accented(c) {
            Some(ascii) => folded.push_str(ascii),
            None => folded.push(c),
        }
    }
    let mut slug = String::new();
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_ascii_lowercase();
        let needed = word.len() + usize::from(!slug.is_empty());
        if slug.len() + needed > max_len {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_readable_and_distinct() {
        let a = AgreementId::generate("Paris Call for Trust & Security");
        let b = AgreementId::generate("Paris Call for Trust & Security");
        assert!(a.as_str().starts_with("agr-paris-call-for-trust-"), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn slug_drops_punctuation_and_respects_length() {
        assert_eq!(slug_from_name("EU NIS Directive!", 40), "eu-nis-directive");
        assert_eq!(slug_from_name("a very long name indeed", 10), "a-very");
        assert_eq!(slug_from_name("¿¡", 10), "");
    }

    #[test]
    fn slug_drops_accents_and_keeps_the_letters() {
        assert_eq!(
            slug_from_name("Déclaration de Paris sur la Confiance", 40),
            "declaration-de-paris-sur-la-confiance"
        );
        assert_eq!(
            slug_from_name("Straße Øresund ŁÓDŹ", 40),
            "strasse-oresund-lodz"
        );
        assert_eq!(
            slug_from_name("Œuvre: “quoted”, (a)–(k)", 40),
            "oeuvre-quoted-a-k"
        );
    }

    #[test]
    fn readable_id_is_the_slug_of_the_name() {
        let id = AgreementId::readable("Paris Call for Trust & Security!", |_| false);
        assert_eq!(id.as_str(), "paris-call-for-trust-security");
        let id = ElementId::readable("  New   element ", |_| false);
        assert_eq!(id.as_str(), "new-element");
    }

    #[test]
    fn readable_id_of_an_empty_or_symbol_name_uses_the_kind() {
        assert_eq!(AgreementId::readable("", |_| false).as_str(), "agreement");
        assert_eq!(
            InitiativeId::readable("¿¡ — !", |_| false).as_str(),
            "initiative"
        );
        let taken = ["provision"];
        let id = ProvisionId::readable("", |id| taken.contains(&id));
        assert_eq!(id.as_str(), "provision-2");
    }

    #[test]
    fn readable_id_skips_taken_ids_in_order() {
        let taken = ["new-agreement", "new-agreement-2", "new-agreement-4"];
        let id = AgreementId::readable("New agreement", |id| taken.contains(&id));
        assert_eq!(id.as_str(), "new-agreement-3");
        let id = AgreementId::readable("New agreement 2", |id| taken.contains(&id));
        assert_eq!(id.as_str(), "new-agreement-2-2");
    }

    #[test]
    fn readable_id_of_a_long_name_stops_at_a_word() {
        let id = AgreementId::readable(
            "Convention on Cybercrime of the Council of Europe (Budapest Convention)",
            |_| false,
        );
        assert_eq!(id.as_str(), "convention-on-cybercrime-of-the-council");
        assert!(id.as_str().len() <= SLUG_MAX_LEN);
    }

    #[test]
    fn closest_ids_rank_by_edit_distance() {
        let ids = ["paris-call", "budapest", "eu-nis", "paris-agreement"];
        assert_eq!(
            closest_ids("pariscall", ids, 2),
            ["paris-call", "paris-agreement"]
        );
        assert_eq!(closest_ids("BUDAPEST", ids, 1), ["budapest"]);
        assert!(closest_ids("x", [], 3).is_empty());
    }
}
