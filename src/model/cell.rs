//! The content of one grid cell: an agreement assessed against one element.

use super::agreement::is_default;
use super::evidence::Excerpt;
use super::ids::{AgreementId, ElementId, ExcerptId};
use chrono::{DateTime, Utc};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Whether the element is present in the agreement.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Assessment {
    #[default]
    NotAssessed,
    Yes,
    Indirect,
    No,
}

impl Assessment {
    /// All values in display order.
    pub const ALL: [Self; 4] = [Self::Yes, Self::Indirect, Self::No, Self::NotAssessed];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotAssessed => "Not assessed",
            Self::Yes => "Yes",
            Self::Indirect => "Indirect",
            Self::No => "No",
        }
    }

    /// The single character shown in a grid cell, so meaning never depends on colour.
    pub fn letter(self) -> char {
        match self {
            Self::NotAssessed => '·',
            Self::Yes => 'Y',
            Self::Indirect => 'I',
            Self::No => 'N',
        }
    }

    /// Parses what people type in spreadsheets and reports ("yes", "Indirectly", "n", "").
    pub fn parse_loose(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" => Some(Self::Yes),
            "indirect" | "indirectly" | "i" => Some(Self::Indirect),
            "no" | "n" => Some(Self::No),
            "" | "not assessed" | "notassessed" | "-" | "·" | "?" => Some(Self::NotAssessed),
            _ => None,
        }
    }
}

/// Where a cell stands in review.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum ReviewStatus {
    #[default]
    Draft,
    NeedsReview,
    Reviewed,
    Disputed,
}

impl ReviewStatus {
    /// All values in workflow order.
    pub const ALL: [Self; 4] = [
        Self::Draft,
        Self::NeedsReview,
        Self::Reviewed,
        Self::Disputed,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::NeedsReview => "Needs review",
            Self::Reviewed => "Reviewed",
            Self::Disputed => "Disputed",
        }
    }
}

/// One cell of the agreements × elements grid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    #[serde(default, skip_serializing_if = "is_default")]
    pub assessment: Assessment,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Quotes from the agreement's text (or a report quoting it) that support the
    /// assessment, each with its locator ("Art. 23", "para. 13(j)").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Excerpt>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub review: ReviewStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub edited_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    /// Who last set the review status; edits of the content do not change it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewed_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<DateTime<Utc>>,
}

impl Cell {
    /// A cell holding only an assessment.
    pub fn with_assessment(assessment: Assessment) -> Self {
        Self {
            assessment,
            ..Self::default()
        }
    }

    /// True when the cell carries nothing worth storing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Records who changed the cell and when (to the second, so files stay tidy).
    pub fn stamp(&mut self, editor: &str, now: DateTime<Utc>) {
        self.edited_by = editor.to_owned();
        self.edited_at = DateTime::from_timestamp(now.timestamp(), 0);
    }

    /// Looks up an excerpt of this cell.
    pub fn excerpt(&self, id: &ExcerptId) -> Option<&Excerpt> {
        self.evidence.iter().find(|e| &e.id == id)
    }

    /// The cell's quotes as one text, separated by blank lines, in the order of
    /// [`Self::locators_joined`]: what one-column exports (long CSV, the XLSX cell list)
    /// show. A cell with one quote reads exactly like a format-1 quote. Each quote is kept
    /// as it is, line breaks and all, so an exported file imports back unchanged.
    pub fn quotes_joined(&self) -> String {
        self.evidence
            .iter()
            .map(|e| e.exact.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The locators of the cell's quotes, joined with "; ".
    pub fn locators_joined(&self) -> String {
        self.evidence
            .iter()
            .map(|e| e.locator.as_str())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sets the review status and records the reviewer, leaving the content's editor alone.
    pub fn set_review(&mut self, status: ReviewStatus, reviewer: &str, now: DateTime<Utc>) {
        self.review = status;
        self.reviewed_by = reviewer.to_owned();
        self.reviewed_at = DateTime::from_timestamp(now.timestamp(), 0);
    }
}

/// All cells, keyed by agreement id then element id. Empty cells are not stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CellMap(BTreeMap<AgreementId, BTreeMap<ElementId, Cell>>);

impl CellMap {
    /// The cell at (agreement, element), if it holds anything.
    pub fn get(&self, agreement: &AgreementId, element: &ElementId) -> Option<&Cell> {
        self.0.get(agreement).and_then(|row| row.get(element))
    }

    /// The cell's assessment, `NotAssessed` when absent.
    pub fn assessment(&self, agreement: &AgreementId, element: &ElementId) -> Assessment {
        self.get(agreement, element)
            .map_or(Assessment::NotAssessed, |c| c.assessment)
    }

    /// Stores `cell`, dropping it when empty. Returns the previous content.
    pub fn set(&mut self, agreement: &AgreementId, element: &ElementId, cell: Cell) -> Cell {
        if cell.is_empty() {
            return self.remove(agreement, element);
        }
        self.0
            .entry(agreement.clone())
            .or_default()
            .insert(element.clone(), cell)
            .unwrap_or_default()
    }

    /// Removes one cell, returning what it held.
    pub fn remove(&mut self, agreement: &AgreementId, element: &ElementId) -> Cell {
        let Some(row) = self.0.get_mut(agreement) else {
            return Cell::default();
        };
        let old = row.remove(element).unwrap_or_default();
        if row.is_empty() {
            self.0.remove(agreement);
        }
        old
    }

    /// Removes every cell of an agreement's row.
    pub fn take_row(&mut self, agreement: &AgreementId) -> BTreeMap<ElementId, Cell> {
        self.0.remove(agreement).unwrap_or_default()
    }

    /// Removes every cell of an element's column.
    pub fn take_column(&mut self, element: &ElementId) -> BTreeMap<AgreementId, Cell> {
        let mut taken = BTreeMap::new();
        self.0.retain(|agreement, row| {
            if let Some(cell) = row.remove(element) {
                taken.insert(agreement.clone(), cell);
            }
            !row.is_empty()
        });
        taken
    }

    /// The stored cells of one agreement.
    pub fn row(&self, agreement: &AgreementId) -> Option<&BTreeMap<ElementId, Cell>> {
        self.0.get(agreement)
    }

    /// Rows in id order.
    pub fn rows(&self) -> impl Iterator<Item = (&AgreementId, &BTreeMap<ElementId, Cell>)> {
        self.0.iter()
    }

    /// Every stored cell in (agreement id, element id) order.
    pub fn iter(&self) -> impl Iterator<Item = (&AgreementId, &ElementId, &Cell)> {
        self.0
            .iter()
            .flat_map(|(a, row)| row.iter().map(move |(e, c)| (a, e, c)))
    }

    /// Number of stored (non-empty) cells.
    pub fn len(&self) -> usize {
        self.0.values().map(BTreeMap::len).sum()
    }

    /// True when no cell holds anything.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reading refuses a repeated key instead of silently keeping the last one: a repeated
/// cell in a hand-merged file would otherwise lose data without a word.
impl<'de> Deserialize<'de> for CellMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let UniqueRows(mut rows) = UniqueRows::<Cell>::deserialize(deserializer)?;
        rows.retain(|_, row: &mut BTreeMap<ElementId, Cell>| {
            row.retain(|_, cell| !cell.is_empty());
            !row.is_empty()
        });
        Ok(Self(rows))
    }
}

/// Cells keyed by agreement then element, read refusing a repeated key. Generic over the cell
/// type so an older format's cells are read with the same care.
pub struct UniqueRows<T>(pub BTreeMap<AgreementId, BTreeMap<ElementId, T>>);

impl<T> Default for UniqueRows<T> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for UniqueRows<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowsVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for RowsVisitor<T> {
            type Value = BTreeMap<AgreementId, BTreeMap<ElementId, T>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of agreement ids to maps of element ids to cells")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut rows = BTreeMap::new();
                while let Some(agreement) = map.next_key::<AgreementId>()? {
                    if rows.contains_key(&agreement) {
                        return Err(serde::de::Error::custom(format!(
                            "agreement `{agreement}` appears twice in cells"
                        )));
                    }
                    let row: UniqueRow<T> = map.next_value()?;
                    rows.insert(agreement, row.0);
                }
                Ok(rows)
            }
        }
        deserializer
            .deserialize_map(RowsVisitor(std::marker::PhantomData))
            .map(UniqueRows)
    }
}

struct UniqueRow<T>(BTreeMap<ElementId, T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for UniqueRow<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for RowVisitor<T> {
            type Value = UniqueRow<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of element ids to cells")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut row = BTreeMap::new();
                while let Some(element) = map.next_key::<ElementId>()? {
                    if row.contains_key(&element) {
                        return Err(serde::de::Error::custom(format!(
                            "cell `{element}` appears twice in one agreement's cells"
                        )));
                    }
                    let cell: T = map.next_value()?;
                    row.insert(element, cell);
                }
                Ok(UniqueRow(row))
            }
        }
        deserializer.deserialize_map(RowVisitor(std::marker::PhantomData))
    }
}

/// Builds a cell map from rows read elsewhere (a migration), dropping empty cells.
impl FromIterator<(AgreementId, ElementId, Cell)> for CellMap {
    fn from_iter<I: IntoIterator<Item = (AgreementId, ElementId, Cell)>>(iter: I) -> Self {
        let mut map = Self::default();
        for (agreement, element, cell) in iter {
            map.set(&agreement, &element, cell);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_not_stored() {
        let mut cells = CellMap::default();
        let (a, e) = (AgreementId::new("a"), ElementId::new("e"));
        cells.set(&a, &e, Cell::with_assessment(Assessment::Yes));
        assert_eq!(cells.len(), 1);
        let old = cells.set(&a, &e, Cell::default());
        assert_eq!(old.assessment, Assessment::Yes);
        assert!(cells.is_empty());
    }

    #[test]
    fn loose_parsing_accepts_report_spellings() {
        assert_eq!(Assessment::parse_loose(" Yes "), Some(Assessment::Yes));
        assert_eq!(
            Assessment::parse_loose("Indirectly"),
            Some(Assessment::Indirect)
        );
        assert_eq!(Assessment::parse_loose(""), Some(Assessment::NotAssessed));
        assert_eq!(Assessment::parse_loose("maybe"), None);
    }
}
