//! Charts and CSV exports: what they contain, not just that a file appeared.

use normgrid::charts::svg::{chart_to_svg, text_boxes};
use normgrid::charts::{
    ChartBody, ChartKind, ChartSize, ChartSpec, Grouping, build_chart, png::svg_to_png,
};
use normgrid::io::csv_export::{CsvLayout, csv_field, project_to_csv};
use normgrid::model::{AgreementId, Assessment, Cell, ElementId, FrameworkId, Project};

fn sample() -> Project {
    normgrid::sample::bpf_2019().unwrap().project
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Parses `svg` as XML, as any SVG viewer would; returns how many `<text>` elements it has.
fn svg_texts(svg: &str) -> usize {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("bad SVG: {e}"));
    assert_eq!(document.root_element().tag_name().name(), "svg");
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .count()
}

#[test]
fn heatmap_holds_every_cell_with_its_letter_legend_date_and_source() {
    let project = sample();
    let chart = build_chart(&project, &ChartSpec::new(ChartKind::Heatmap)).unwrap();
    let svg = chart_to_svg(&chart);
    assert!(
        svg_texts(&svg) > 20 * 21,
        "a letter in every cell, and the labels"
    );
    assert_eq!(count(&svg, r#"class="cell yes""#), 86);
    assert_eq!(count(&svg, r#"class="cell indirect""#), 19);
    assert_eq!(count(&svg, r#"class="cell no""#), 92);
    assert_eq!(count(&svg, r#"class="cell not-assessed""#), 3 + 220);
    assert_eq!(count(&svg, r#"class="cell-letter""#), 20 * 21);
    assert_eq!(count(&svg, r#"class="legend "#), 4);
    assert!(svg.contains("What each agreement includes"));
    assert!(svg.contains("as of 31 December 2019"));
    assert!(svg.contains("Source: BPF Cybersecurity 2019"));
    assert!(
        svg.contains(">(f) Do not damage"),
        "norms keep their letters"
    );
}

#[test]
fn prevalence_counts_match_the_grid_and_are_sorted_by_reach() {
    let project = sample();
    let chart = build_chart(&project, &ChartSpec::new(ChartKind::Prevalence)).unwrap();
    let ChartBody::Bars { bars, total, note } = &chart.body else {
        panic!("bars")
    };
    assert_eq!(*total, 20);
    assert!(note.is_none());
    assert_eq!(bars.len(), 10);
    let first = &bars[0];
    assert_eq!(first.label, "Further multi-stakeholderism");
    assert_eq!(
        (first.tally.yes, first.tally.indirect, first.tally.no),
        (15, 2, 3)
    );
    assert!(
        bars.windows(2)
            .all(|w| w[0].tally.present() >= w[1].tally.present())
    );
    assert_eq!(
        bars.last().unwrap().label,
        "Vulnerability equities processes"
    );
    let svg = chart_to_svg(&chart);
    assert!(svg_texts(&svg) > 10 * 2);
    assert!(svg.contains(">Y15<") && svg.contains(">17 of 20<"));
}

#[test]
fn norms_keep_their_letters_and_order_whatever_the_sort() {
    let mut project = sample();
    // Give (k) the most Yes so sorting by count would move it first.
    for agreement in project.agreements.clone() {
        project.cells.set(
            &agreement.id,
            &ElementId::new("ungge-13k"),
            Cell::with_assessment(Assessment::Yes),
        );
    }
    let mut spec = ChartSpec::new(ChartKind::NormCoverage);
    spec.sort_by_count = true;
    let chart = build_chart(&project, &spec).unwrap();
    let ChartBody::Bars { bars, .. } = &chart.body else {
        panic!("bars")
    };
    let letters: Vec<&str> = bars.iter().map(|b| &b.label[..3]).collect();
    assert_eq!(
        letters,
        [
            "(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(j)", "(k)"
        ]
    );
    assert_eq!(bars[10].tally.yes, 20);
}

#[test]
fn unassessed_norms_say_so() {
    let chart = build_chart(&sample(), &ChartSpec::new(ChartKind::NormCoverage)).unwrap();
    let ChartBody::Bars { note, .. } = &chart.body else {
        panic!("bars")
    };
    assert!(
        note.as_deref()
            .unwrap()
            .contains("None of the 20 agreements")
    );
}

#[test]
fn profile_shows_one_agreement_across_both_frameworks() {
    let mut spec = ChartSpec::new(ChartKind::Profile);
    spec.profile = Some(AgreementId::new("paris-call"));
    let chart = build_chart(&sample(), &spec).unwrap();
    assert_eq!(chart.title, "Paris Call for Trust & Security in Cyberspace");
    let ChartBody::Profile { sections } = &chart.body else {
        panic!("profile")
    };
    assert_eq!(
        sections.iter().map(|s| s.items.len()).collect::<Vec<_>>(),
        [10, 11]
    );
    let svg = chart_to_svg(&chart);
    assert!(svg_texts(&svg) > 10 + 11);
    assert!(svg.contains("Trust &amp; Security"));
}

#[test]
fn labels_never_overlap() {
    let project = sample();
    for kind in [
        ChartKind::Heatmap,
        ChartKind::Prevalence,
        ChartKind::NormCoverage,
        ChartKind::Profile,
    ] {
        for size in [
            ChartSize::SLIDE,
            ChartSize::A4_LANDSCAPE,
            ChartSize {
                width: 1280,
                height: 720,
            },
        ] {
            for grouping in [Grouping::None, Grouping::Space] {
                let mut spec = ChartSpec::new(kind);
                spec.size = size;
                spec.grouping = grouping;
                spec.profile = Some(AgreementId::new("budapest-convention"));
                let chart = build_chart(&project, &spec).unwrap();
                let boxes = text_boxes(&chart);
                assert!(svg_texts(&chart_to_svg(&chart)) > 0);
                for (i, a) in boxes.iter().enumerate() {
                    assert!(
                        a[0] >= 0.0 && a[2] <= size.width as f32 + 0.5,
                        "{kind:?} {size:?}: label off the page {a:?}"
                    );
                    for b in &boxes[i + 1..] {
                        let overlap = a[0] < b[2] - 0.5
                            && b[0] < a[2] - 0.5
                            && a[1] < b[3] - 0.5
                            && b[1] < a[3] - 0.5;
                        assert!(
                            !overlap,
                            "{kind:?} {size:?} {grouping:?}: {a:?} overlaps {b:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn grouping_by_space_heads_each_group_once() {
    let mut spec = ChartSpec::new(ChartKind::Heatmap);
    spec.grouping = Grouping::Space;
    spec.frameworks = vec![FrameworkId::new("bpf2019-key-elements")];
    let chart = build_chart(&sample(), &spec).unwrap();
    let ChartBody::Heatmap { rows, .. } = &chart.body else {
        panic!("heatmap")
    };
    let groups: Vec<&str> = rows.iter().filter_map(|r| r.group.as_deref()).collect();
    assert_eq!(
        groups,
        [
            "Within a stakeholder group",
            "Across stakeholder groups",
            "United Nations"
        ]
    );
    assert_eq!(rows.len(), 20);
}

#[test]
fn png_is_a_real_image_of_the_requested_size() {
    let chart = build_chart(&sample(), &ChartSpec::new(ChartKind::Prevalence)).unwrap();
    let svg = chart_to_svg(&chart);
    assert!(svg_texts(&svg) > 0);
    for (scale, width, height) in [(1.0, 1920, 1080), (2.0, 3840, 2160)] {
        let png = svg_to_png(&svg, scale).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((w, h), (width, height));
        assert!(png.len() > 30_000, "a drawn chart, not a blank page");
        let decoded = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (width, height));
    }
}

#[test]
fn csv_neutralises_formulas_as_owasp_advises() {
    assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(csv_field("+1"), "'+1");
    assert_eq!(csv_field("-2"), "'-2");
    assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(csv_field("\tx"), "'\tx");
    assert_eq!(csv_field("\rx"), "\"'\rx\"");
    assert_eq!(
        csv_field("Art. 23, Chapter III"),
        "\"Art. 23, Chapter III\""
    );
    assert_eq!(csv_field("plain"), "plain");

    let mut project = sample();
    project.cells.set(
        &AgreementId::new("manrs"),
        &ElementId::new("ke-cbms"),
        Cell {
            note: "=cmd|' /C calc'!A0".to_owned(),
            ..Cell::with_assessment(Assessment::No)
        },
    );
    let csv = project_to_csv(&project, CsvLayout::Long, &[]);
    assert!(csv.contains("'=cmd|"));
    assert!(!csv.contains(",=cmd"));
}

#[test]
fn csv_long_and_wide_layouts_open_in_spreadsheets() {
    let project = sample();
    let long = project_to_csv(&project, CsvLayout::Long, &[]);
    assert!(long.starts_with('\u{feff}'), "BOM, so Excel reads UTF-8");
    // Rows end in CRLF; a bare line feed only occurs inside a quoted field, where a cell's
    // quotes are joined by a blank line.
    assert_eq!(long.matches("\r\n").count(), 1 + 20 * 21);
    let mut reader =
        csv::ReaderBuilder::new().from_reader(long.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 20 * 21);
    let bare_line_feeds: usize = records
        .iter()
        .map(|r| r.iter().map(|f| f.matches('\n').count()).sum::<usize>())
        .sum();
    assert_eq!(
        long.replace("\r\n", "").matches('\n').count(),
        bare_line_feeds
    );
    assert!(long.starts_with(
        "\u{feff}agreement,agreement id,element,element id,framework,framework id,assessment,note,quote,locator,review status\r\n"
    ));

    let wide = project_to_csv(
        &project,
        CsvLayout::Wide,
        &[FrameworkId::new("bpf2019-key-elements")],
    );
    let lines: Vec<&str> = wide
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines.len(),
        3 + 20,
        "header, framework ids, element ids, agreements"
    );
    assert!(lines[0].starts_with("agreement,agreement id,Further multi-stakeholderism,"));
    assert!(lines[1].starts_with("framework id,,bpf2019-key-elements,"));
    assert!(lines[2].starts_with("element id,,"));
    assert_eq!(
        lines[22],
        "OAS Strategy,oas-strategy,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes,Yes"
    );
}

#[test]
fn csv_round_trips_and_reports_every_problem_by_line() {
    use normgrid::io::csv_import::import_csv;
    let mut edited = sample();
    let (a, e) = (AgreementId::new("manrs"), ElementId::new("ke-cbms"));
    edited.cells.set(
        &a,
        &e,
        Cell {
            note: "=not a formula, \"quoted\"\nsecond line".to_owned(),
            ..Cell::with_assessment(Assessment::Indirect)
        },
    );
    let long = project_to_csv(&edited, CsvLayout::Long, &[]);
    let mut project = sample();
    let import = import_csv(&project, &long).unwrap();
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    assert_eq!(import.changed_cells, 1);
    import.command.apply(&mut project).unwrap();
    assert_eq!(project.cell(&a, &e), edited.cell(&a, &e));

    let wide = "\u{feff}agreement,Specified CBMs,(f),Reference to Human Rights\r\nMANRS,yes,,No\r\nNo Such Pact,Yes,Yes,Yes\r\nParis Call,maybe,Indirect,Yes\r\n";
    let import = import_csv(&sample(), wide).unwrap();
    let messages: Vec<String> = import.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 3: unknown agreement `No Such Pact`",
            "line 4: unknown value `maybe` for `paris-call` / `ke-cbms` (use Yes, Indirect, No or leave empty)"
        ]
    );
    assert_eq!(
        import.changed_cells, 2,
        "MANRS CBMs → Yes and Paris Call (f) → Indirect"
    );
}

#[test]
fn html_report_follows_the_bpf_layout_and_is_self_contained() {
    let html = normgrid::export::html_report::project_to_html(&sample());
    // Polyglot HTML: an XML parser reads it whole.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let document = roxmltree::Document::parse_with_options(&html, options).unwrap();
    assert_eq!(document.root_element().tag_name().name(), "html");
    assert_eq!(
        html.matches("<section class=\"agreement\">").count(),
        20 + 1,
        "20 agreements and the prevalence table"
    );
    assert_eq!(
        html.matches("<th>Present?</th>").count(),
        20,
        "one key-element table per agreement"
    );
    // The norms keep their letters, in order, exactly once in the norms table.
    let positions: Vec<usize> = "abcdefghijk"
        .chars()
        .map(|c| html.find(&format!("<b>({c})</b>")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(!html.contains("<b>(1)</b>"));
    assert!(html.contains("Further multi-stakeholderism</td><td>15</td><td>2</td><td>3</td><td>0</td><td><b>17 of 20</b>"));
    assert!(html.contains("<svg"), "the heatmap is inline");
    for external in ["<link", "<script", "src=\"http", "@import"] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(html.contains("Trust &amp; Security"));
    assert!(
        html.contains("(Cybersecurity Tech Accord") || html.contains("Tech Accord principle 1")
    );
}

#[test]
fn xlsx_has_a_coloured_sheet_per_framework_and_notes_as_comments() {
    use std::io::Read;
    let project = sample();
    let bytes = normgrid::export::xlsx_export::project_to_xlsx(&project).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let workbook = read("xl/workbook.xml");
    for part in [
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet3.xml",
        "xl/comments1.xml",
        "xl/sharedStrings.xml",
    ] {
        roxmltree::Document::parse(&read(part)).unwrap_or_else(|e| panic!("{part}: {e}"));
    }
    for sheet in ["BPF 2019 key elements", "UNGGE 2015 norms", "All cells"] {
        assert!(
            workbook.contains(&format!("<sheet name=\"{sheet}\"")),
            "{sheet}"
        );
    }
    let styles = read("xl/styles.xml");
    assert!(
        styles.contains("FF0072B2") && styles.contains("FFD55E00"),
        "assessment colours"
    );
    let comments = read("xl/comments1.xml");
    let cells_with_text = project
        .cells
        .iter()
        .filter(|(_, e, c)| {
            e.as_str().starts_with("ke-") && (!c.note.is_empty() || !c.evidence.is_empty())
        })
        .count();
    assert_eq!(comments.matches("<comment ").count(), cells_with_text);
    assert!(comments.contains("Focus on education and certification."));
    let strings = read("xl/sharedStrings.xml");
    assert!(strings.contains("Further multi-stakeholderism") && strings.contains("Indirect"));
}

#[test]
fn heatmap_cells_carry_the_palette_colours() {
    let chart = build_chart(&sample(), &ChartSpec::new(ChartKind::Heatmap)).unwrap();
    let svg = chart_to_svg(&chart);
    assert!(svg_texts(&svg) > 0);
    for (class, assessment) in [
        ("yes", Assessment::Yes),
        ("indirect", Assessment::Indirect),
        ("no", Assessment::No),
        ("not-assessed", Assessment::NotAssessed),
    ] {
        let fill = format!(
            "fill=\"{}\"",
            normgrid::palette::assessment_fill(assessment).hex()
        );
        let lines: Vec<&str> = svg
            .lines()
            .filter(|l| l.contains(&format!("class=\"cell {class}\"")))
            .collect();
        assert!(!lines.is_empty());
        assert!(
            lines.iter().all(|l| l.contains(&fill)),
            "{class} cells are {fill}"
        );
    }
}

#[test]
fn every_csv_export_parses_back_with_the_csv_crate() {
    let project = sample();
    for layout in [CsvLayout::Long, CsvLayout::Wide, CsvLayout::Evidence] {
        let text = project_to_csv(&project, layout, &[]);
        let mut reader =
            csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        match layout {
            CsvLayout::Long => {
                assert_eq!(headers.len(), 11);
                assert_eq!(records.len(), 20 * 21);
                let cbms = records
                    .iter()
                    .find(|r| &r[0] == "UNGGE 2015" && &r[2] == "Specified CBMs")
                    .unwrap();
                assert_eq!(&cbms[6], "Yes");
                assert_eq!(&cbms[9], "Section IV");
            }
            CsvLayout::Wide => {
                assert_eq!(headers.len(), 2 + 21);
                assert_eq!(records.len(), 2 + 20, "two id rows, then the agreements");
                assert!(records.iter().all(|r| r.len() == 23));
            }
            CsvLayout::Evidence => {
                assert_eq!(
                    headers.iter().collect::<Vec<_>>(),
                    normgrid::io::evidence_table::EVIDENCE_HEADER.to_vec()
                );
                assert_eq!(records.len(), 49, "one row per excerpt of the sample");
                assert!(records.iter().all(|r| r.len() == 16));
                let state = |word: &str| records.iter().filter(|r| &r[13] == word).count();
                assert_eq!((state("verified"), state("locator only")), (38, 11));
                let linked: Vec<&csv::StringRecord> = records
                    .iter()
                    .filter(|r| &r[9] == "bpf-2019-report")
                    .collect();
                assert_eq!(linked.len(), 38);
                assert!(linked.iter().all(|r| &r[11] == "TXT" && !r[10].is_empty()));
            }
        }
    }
}

#[test]
fn the_workbook_reads_back_with_calamine() {
    use calamine::{Reader, Xlsx};
    let bytes = normgrid::export::xlsx_export::project_to_xlsx(&sample()).unwrap();
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "BPF 2019 key elements",
            "UNGGE 2015 norms",
            "All cells",
            "Evidence"
        ]
    );
    let range = workbook.worksheet_range("BPF 2019 key elements").unwrap();
    assert_eq!(range.get_size(), (21, 11));
    let oas: Vec<String> = range
        .rows()
        .nth(20)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(oas[0], "OAS Strategy");
    assert!(oas[1..].iter().all(|v| v == "Yes"));
    let all = workbook.worksheet_range("All cells").unwrap();
    assert_eq!(all.get_size().0, 1 + 20 * 21);
    let all_header: Vec<String> = all
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(&all_header[5..7], ["Quote", "Locator"]);

    // The evidence sheet has the CSV evidence layout's rows, cell for cell.
    let evidence = workbook.worksheet_range("Evidence").unwrap();
    let sheet_rows: Vec<Vec<String>> = evidence
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    let csv = project_to_csv(&sample(), CsvLayout::Evidence, &[]);
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_lowercase)
        .collect();
    assert_eq!(
        sheet_rows[0]
            .iter()
            .map(|h| h.to_lowercase())
            .collect::<Vec<_>>(),
        header
    );
    let csv_rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|f| normgrid::io::csv_export::formula_unguarded(f).to_owned())
                .collect()
        })
        .collect();
    assert_eq!(sheet_rows.len(), 1 + 49);
    for (sheet_row, csv_row) in sheet_rows[1..].iter().zip(&csv_rows) {
        assert_eq!(sheet_row, csv_row);
    }
    let verified = sheet_rows.iter().filter(|r| r[13] == "verified").count();
    assert_eq!(verified, 38);
}

#[test]
fn a_heatmap_too_dense_for_letters_says_so() {
    let project = normgrid::sample::synthetic_project(1000, 60, 20, 1);
    let chart = build_chart(&project, &ChartSpec::new(ChartKind::Heatmap)).unwrap();
    let svg = chart_to_svg(&chart);
    assert!(svg_texts(&svg) > 0);
    assert_eq!(count(&svg, r#"class="cell "#), 60_000);
    assert_eq!(count(&svg, r#"class="cell-letter""#), 0);
    assert!(svg.contains("too small for letters"));
}

/// Every `<text>` of the SVG with its `x` and `y`, as a reader of the file sees them.
fn svg_text_nodes(svg: &str) -> Vec<(f32, f32, String)> {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("bad SVG: {e}"));
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let number = |name: &str| {
                n.attribute(name)
                    .and_then(|v| v.parse::<f32>().ok())
                    .unwrap_or(f32::NAN)
            };
            let text: String = n
                .children()
                .filter_map(|d| d.text())
                .collect::<Vec<_>>()
                .join("");
            (number("x"), number("y"), text)
        })
        .collect()
}

#[test]
fn heatmap_names_show_whole_while_room_remains_and_few_rows_fill_the_slide() {
    for agreements in [3, 20] {
        let mut project = sample();
        project.agreements.truncate(agreements);
        if agreements == 3 {
            // Three rows have room for the longest full names (up to 200 characters), on
            // several lines; twenty rows for names of up to 60 characters, on one.
            for agreement in &mut project.agreements {
                agreement.short_name =
                    format!("{} on trust and security in cyberspace", agreement.name);
            }
        } else {
            for agreement in &mut project.agreements {
                agreement.short_name = agreement.name.chars().take(60).collect::<String>();
                agreement.short_name = agreement.short_name.trim().to_owned();
            }
        }
        for size in [ChartSize::SLIDE, ChartSize::SLIDE_4_3] {
            let mut spec = ChartSpec::new(ChartKind::Heatmap);
            spec.size = size;
            let chart = build_chart(&project, &spec).unwrap();
            let svg = chart_to_svg(&chart);
            let texts = svg_text_nodes(&svg);
            let all_text: String = texts
                .iter()
                .map(|(_, _, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            for agreement in &project.agreements {
                // Whole, on one line or two: every word is on the page, none cut with "…".
                for word in agreement.short_name.split_whitespace() {
                    assert!(
                        all_text.contains(word),
                        "{agreements} rows at {size:?}: `{word}` of `{}` is missing",
                        agreement.short_name
                    );
                }
            }
            assert!(
                !texts.iter().any(|(_, _, t)| t.ends_with('…')),
                "{agreements} rows at {size:?}: a label was cut though the page had room"
            );
            // Each name's box ends before the first column of cells begins.
            let boxes = text_boxes(&chart);
            assert!(boxes.iter().all(|b| b[2] <= size.width as f32 + 0.5));
            // The rows reach down the slide: no empty bottom half.
            let lowest_name = texts
                .iter()
                .filter(|(_, _, t)| {
                    t.len() > 3
                        && project
                            .agreements
                            .iter()
                            .any(|a| a.short_name.contains(t.as_str()))
                })
                .map(|(_, y, _)| *y)
                .fold(0.0_f32, f32::max);

            assert!(
                lowest_name > size.height as f32 * 0.55,
                "{agreements} rows at {size:?}: the last row is at {lowest_name} of {}",
                size.height
            );
        }
    }
}

#[test]
fn a_slide_title_and_subtitle_replace_the_charts_own() {
    let mut spec = ChartSpec::new(ChartKind::Heatmap);
    spec.title = "Agreements and the UNGGE norms".to_owned();
    spec.subtitle = "IGF BPF Cybersecurity, 2020 draft".to_owned();
    spec.size = ChartSize::parse("slide-4:3").unwrap();
    let chart = build_chart(&sample(), &spec).unwrap();
    assert_eq!(chart.title, "Agreements and the UNGGE norms");
    assert_eq!(chart.subtitle, "IGF BPF Cybersecurity, 2020 draft");
    assert_eq!(chart.size, ChartSize::SLIDE_4_3);
    let svg = chart_to_svg(&chart);
    assert!(svg.contains("Agreements and the UNGGE norms"));
    assert!(svg.contains("IGF BPF Cybersecurity, 2020 draft"));
}
