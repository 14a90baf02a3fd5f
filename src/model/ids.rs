//! Stable identifiers. Everything in a project is referenced by id, never by position,
//! so sorting, filtering, reordering and merging can never move a value onto another row.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Prefix used for freshly generated ids of this kind.
            pub const PREFIX: &'static str = $prefix;

            /// Wraps an existing id (from a file or a test).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// A new id that will not collide with ids made on another volunteer's machine:
            /// a readable slug of `name` plus a random suffix.
            pub fn generate(name: &str) -> Self {
                Self(generated_id($prefix, name))
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
    "agr"
);
string_id!(
    /// Identifies an element (a grid column), unique across all frameworks.
    ElementId,
    "el"
);
string_id!(
    /// Identifies a framework, a named group of elements.
    FrameworkId,
    "fw"
);
string_id!(
    /// Identifies a numbered provision, unique within its agreement.
    ProvisionId,
    "p"
);
string_id!(
    /// Identifies a stakeholder initiative.
    InitiativeId,
    "ini"
);
string_id!(
    /// Identifies a note.
    NoteId,
    "note"
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

/// Lower-case ASCII slug of at most `max_len` characters, words joined by `-`.
pub fn slug_from_name(name: &str, max_len: usize) -> String {
    let mut slug = String::new();
    for word in name
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
}
