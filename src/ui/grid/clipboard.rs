//! The grid's clipboard, as spreadsheets use it: a block of cells as tab-separated words, and
//! pasted words read back as assessments. Plain functions of ids and text, tested without egui.

use super::super::view::Block;
use crate::model::{AgreementId, Assessment, ElementId, Project};

/// The word a spreadsheet cell holds for an assessment; not assessed is an empty cell.
pub fn assessment_word(assessment: Assessment) -> &'static str {
    match assessment {
        Assessment::NotAssessed => "",
        other => other.label(),
    }
}

/// The block as spreadsheets put cells on the clipboard: cells separated by tabs, rows by
/// newlines.
pub fn block_as_tsv(
    project: &Project,
    rows: &[AgreementId],
    columns: &[ElementId],
    block: Block,
) -> String {
    (block.rows.0..=block.rows.1)
        .map(|r| {
            (block.columns.0..=block.columns.1)
                .map(|c| assessment_word(project.assessment(&rows[r], &columns[c])))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why pasted text was refused; nothing is pasted then.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("Nothing was pasted: the clipboard holds no cells. Copy cells in a spreadsheet first.")]
    Empty,
    #[error(
        "Nothing was pasted: `{value}` in row {row}, column {column} of the copied cells is not \
         an assessment. Use Yes, Indirect, No or an empty cell, then copy and paste again."
    )]
    Unknown {
        value: String,
        row: usize,
        column: usize,
    },
}

/// Reads cells copied from a spreadsheet (tabs between cells, newlines between rows) as
/// assessments, with the words CSV import accepts. Any unknown word refuses the whole paste.
pub fn assessments_from_tsv(text: &str) -> Result<Vec<Vec<Assessment>>, PasteError> {
    // Spreadsheets end the last row with a newline too; it is not another row.
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if text.is_empty() {
        return Err(PasteError::Empty);
    }
    text.split('\n')
        .enumerate()
        .map(|(row, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            line.split('\t')
                .enumerate()
                .map(|(column, value)| {
                    Assessment::parse_loose(value).ok_or_else(|| PasteError::Unknown {
                        value: value.trim().chars().take(40).collect(),
                        row: row + 1,
                        column: column + 1,
                    })
                })
                .collect()
        })
        .collect()
}

/// What a paste changes: the cells and their new assessments, row by row, and the last
/// (row, column) it reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastePlan {
    pub changes: Vec<(AgreementId, ElementId, Assessment)>,
    pub reach: (usize, usize),
}

/// Where `values` land when pasted into `block` of the shown `rows` and `columns`: into the
/// block, or from a single selected cell as far as the pasted cells reach, clipped to the
/// shown grid. One value fills the whole block, as spreadsheets do.
pub fn paste_plan(
    rows: &[AgreementId],
    columns: &[ElementId],
    block: Block,
    values: &[Vec<Assessment>],
) -> PastePlan {
    let single_value = values.len() == 1 && values.first().is_some_and(|row| row.len() == 1);
    let fill_block = single_value && !block.is_single_cell();
    let (mut last_row, mut last_col) = if block.is_single_cell() {
        (
            rows.len().saturating_sub(1),
            columns.len().saturating_sub(1),
        )
    } else {
        (block.rows.1, block.columns.1)
    };
    if !fill_block {
        let widest = values.iter().map(Vec::len).max().unwrap_or(1);
        last_row = last_row.min(block.rows.0 + values.len().saturating_sub(1));
        last_col = last_col.min(block.columns.0 + widest.saturating_sub(1));
    }
    let mut changes = Vec::new();
    let mut reach = (block.rows.0, block.columns.0);
    for r in block.rows.0..=last_row {
        for c in block.columns.0..=last_col {
            let value = if fill_block {
                values.first().and_then(|row| row.first())
            } else {
                values
                    .get(r - block.rows.0)
                    .and_then(|row| row.get(c - block.columns.0))
            };
            if let (Some(assessment), Some(agreement), Some(element)) =
                (value, rows.get(r), columns.get(c))
            {
                changes.push((agreement.clone(), element.clone(), *assessment));
                reach = (reach.0.max(r), reach.1.max(c));
            }
        }
    }
    PastePlan { changes, reach }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<T>(make: impl Fn(String) -> T, n: usize) -> Vec<T> {
        (0..n).map(|i| make(format!("x{i}"))).collect()
    }

    #[test]
    fn a_single_value_fills_a_block_and_a_grid_of_values_stops_at_the_edge() {
        let rows = ids(AgreementId::new, 3);
        let columns = ids(ElementId::new, 3);
        let block = Block {
            rows: (0, 1),
            columns: (1, 2),
        };
        let plan = paste_plan(&rows, &columns, block, &[vec![Assessment::Yes]]);
        assert_eq!(plan.changes.len(), 4);
        assert_eq!(plan.reach, (1, 2));
        // From one cell, a 2×3 paste is clipped at the last column.
        let single = Block {
            rows: (1, 1),
            columns: (1, 1),
        };
        let values = vec![
            vec![Assessment::Yes, Assessment::No, Assessment::Indirect],
            vec![Assessment::No, Assessment::NotAssessed, Assessment::Yes],
        ];
        let plan = paste_plan(&rows, &columns, single, &values);
        assert_eq!(plan.reach, (2, 2));
        assert_eq!(
            plan.changes,
            vec![
                (rows[1].clone(), columns[1].clone(), Assessment::Yes),
                (rows[1].clone(), columns[2].clone(), Assessment::No),
                (rows[2].clone(), columns[1].clone(), Assessment::No),
                (rows[2].clone(), columns[2].clone(), Assessment::NotAssessed),
            ]
        );
    }

    #[test]
    fn spreadsheet_words_read_back_and_an_unknown_word_refuses_the_paste() {
        assert_eq!(
            assessments_from_tsv("Yes\tNo\r\n\tIndirect\r\n"),
            Ok(vec![
                vec![Assessment::Yes, Assessment::No],
                vec![Assessment::NotAssessed, Assessment::Indirect],
            ])
        );
        assert_eq!(assessments_from_tsv(""), Err(PasteError::Empty));
        assert!(matches!(
            assessments_from_tsv("Yes\tMaybe"),
            Err(PasteError::Unknown {
                row: 1,
                column: 2,
                ..
            })
        ));
    }
}
