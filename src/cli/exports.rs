//! `normgrid export`: charts, CSV, XLSX, the HTML report, the review copy, REFI-QDA and the
//! element report.

use super::*;

pub(super) fn export(what: ExportCommand) -> Result<ExitCode, String> {
    use crate::charts::{ChartSize, ChartSpec, Grouping, build_chart};
    use crate::io::csv_export::project_to_csv;
    use crate::model::{AgreementId, FrameworkId};
    let (bytes, out) = match what {
        ExportCommand::Chart {
            kind,
            framework,
            agreements,
            group,
            size,
            title,
            subtitle,
            scale,
            out,
            project,
        } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            check_framework_ids(&project, &framework)?;
            let agreement_ids: Vec<&str> =
                project.agreements.iter().map(|a| a.id.as_str()).collect();
            for wanted in &agreements {
                check_known_id("agreement", wanted, &agreement_ids)?;
            }
            let mut spec = ChartSpec::new(kind.into());
            spec.frameworks = framework.into_iter().map(FrameworkId::new).collect();
            if !agreements.is_empty() {
                spec.agreements = Some(agreements.into_iter().map(AgreementId::new).collect());
            }
            spec.grouping = group.map_or(Grouping::None, Grouping::from);
            spec.size = ChartSize::parse(&size).map_err(|e| e.to_string())?;
            spec.title = option_line("--title", &title);
            spec.subtitle = option_line("--subtitle", &subtitle);
            let chart = build_chart(&project, &spec).map_err(|e| e.to_string())?;
            let bytes = crate::charts::chart_file_bytes(&chart, &out, scale)?;
            (bytes, out)
        }
        ExportCommand::Xlsx { out, project } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            let bytes = crate::export::xlsx_export::project_to_xlsx(&project)
                .map_err(|e| format!("could not build the workbook: {e}"))?;
            (bytes, out)
        }
        ExportCommand::Html { out, project } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            (
                crate::export::html_report::project_to_html(&project).into_bytes(),
                out,
            )
        }
        ExportCommand::Review { out, project: path } => {
            let project = load_project(&path).map_err(|e| e.to_string())?.project;
            let crops = crate::export::review_copy::pages::page_crops(&project, Some(&path));
            for note in &crops.notes {
                eprintln!("{}: {note}", path.display());
            }
            if !crops.is_empty() {
                eprintln!(
                    "{} quote(s) shown on their page ({} KB of page images)",
                    crops.len(),
                    crops.bytes / 1024
                );
            }
            let html =
                crate::export::review_copy::review_copy_html(&project, chrono::Utc::now(), &crops)
                    .map_err(|e| e.to_string())?;
            (html.into_bytes(), out)
        }
        ExportCommand::Csv {
            layout,
            framework,
            out,
            project,
        } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            check_framework_ids(&project, &framework)?;
            let frameworks: Vec<FrameworkId> =
                framework.into_iter().map(FrameworkId::new).collect();
            (
                project_to_csv(&project, layout.into(), &frameworks).into_bytes(),
                out,
            )
        }
        ExportCommand::Qdpx { out, project } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            let export =
                crate::export::qdpx::project_to_qdpx(&project).map_err(|e| e.to_string())?;
            crate::io::write_atomically(&out, &export.bytes, false).map_err(|e| e.to_string())?;
            println!("wrote {}: {}", out.display(), export.summary.line());
            return Ok(ExitCode::SUCCESS);
        }
        ExportCommand::Element {
            element,
            format,
            out,
            project,
        } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            let element_ids: Vec<&str> = project.elements().map(|(_, e)| e.id.as_str()).collect();
            check_known_id("element", &element, &element_ids)?;
            let bytes = crate::export::element_report::element_report(
                &project,
                &ElementId::new(element),
                format.into(),
            );
            (bytes, out)
        }
    };
    crate::io::write_atomically(&out, &bytes, false).map_err(|e| e.to_string())?;
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}
