//! Exports other programs and people read: the HTML report, the review copy, the XLSX
//! workbook, the element report and the REFI-QDA project. They sit above charts, io and
//! collab, whose output they package, and below the ui and cli that call them. (The CSV and
//! evidence table are in `io`: the CSV import reads what the CSV export writes.)

pub mod element_report;
pub mod html_report;
pub mod qdpx;
pub mod review_copy;
pub mod xlsx_export;
