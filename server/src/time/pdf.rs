//! Renders the monthly time report as a PDF: A4 landscape, set in the standard
//! Helvetica fonts (never embedded, so the file stays small and every viewer
//! has them). Text is written in WinAnsi (Windows-1252), the encoding those
//! fonts support without a custom encoding dictionary.
//!
//! Rendering happens in two passes: first the rows are distributed over pages
//! (so "Page N of M" knows M), then each page's content stream is written.

use std::ops::Range;

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};

/// Everything the report shows, already formatted for display.
pub struct PdfReport {
    pub company_name: String,
    /// e.g. "Time report".
    pub title: String,
    /// e.g. "November 2026".
    pub period_label: String,
    /// e.g. "Customer: Harbour Café" or "All customers and workers".
    pub scope_label: String,
    /// e.g. "Generated 21 Nov 2026 14:05 (Europe/Berlin)".
    pub generated_label: String,
    /// (label, value) pairs; the first value is repeated in the table's total row.
    pub totals: Vec<(String, String)>,
    pub lines: Vec<PdfLine>,
}

/// One time entry, one table row.
pub struct PdfLine {
    /// e.g. "Mon 03 Nov".
    pub date: String,
    /// e.g. "09:00–11:30".
    pub time: String,
    pub worker: String,
    pub customer: String,
    pub job: String,
    /// May be long and contain newlines; printed on one line, truncated.
    pub description: String,
    pub status: String,
    pub billable: bool,
    /// e.g. "2:30".
    pub duration: String,
}

/// Renders the report to the bytes of a PDF file.
pub fn render(report: &PdfReport) -> Vec<u8> {
    let plans = plan_pages(report.lines.len());
    let contents: Vec<Vec<u8>> =
        plans.iter().enumerate().map(|(index, plan)| page_content(report, plan, index, plans.len())).collect();
    write_document(report, &contents)
}

// ---------------------------------------------------------------------------
// Geometry (PDF points, origin bottom left)
// ---------------------------------------------------------------------------

const PAGE_W: f32 = 842.0;
const PAGE_H: f32 = 595.0;
const MARGIN: f32 = 36.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

/// The table never reaches below the bottom margin; the footer sits inside it.
const TABLE_BOTTOM: f32 = MARGIN;
const FOOTER_BASELINE: f32 = 20.0;

const COMPANY_BASELINE: f32 = PAGE_H - MARGIN - 14.0;
const TITLE_BASELINE: f32 = COMPANY_BASELINE - 20.0;
const SCOPE_BASELINE: f32 = TITLE_BASELINE - 16.0;
const GENERATED_BASELINE: f32 = SCOPE_BASELINE - 14.0;
const TOTALS_BOX_TOP: f32 = GENERATED_BASELINE - 12.0;
const TOTALS_BOX_H: f32 = 24.0;
const TOTALS_BOX_BOTTOM: f32 = TOTALS_BOX_TOP - TOTALS_BOX_H;

/// Where the table starts: below the report header on page one, at the top
/// margin on every later page.
const FIRST_TABLE_TOP: f32 = TOTALS_BOX_BOTTOM - 14.0;
const OTHER_TABLE_TOP: f32 = PAGE_H - MARGIN;

const HEADER_ROW_H: f32 = 16.0;
const ROW_H: f32 = 14.0;
const TOTAL_ROW_H: f32 = 18.0;
/// Distance from a row's bottom edge to the text baseline (room for descenders).
const BASELINE_RAISE: f32 = 4.0;
const CELL_PAD: f32 = 4.0;

const HEADER_FILL_GRAY: f32 = 0.9;
const RULE_GRAY: f32 = 0.82;
const MUTED_GRAY: f32 = 0.35;

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

struct Column {
    title: &'static str,
    width: f32,
    align: Align,
}

const COLUMN_COUNT: usize = 9;

/// The table's columns, left to right; the widths add up to `CONTENT_W`.
static COLUMNS: [Column; COLUMN_COUNT] = [
    Column { title: "Date", width: 62.0, align: Align::Left },
    Column { title: "Time", width: 62.0, align: Align::Left },
    Column { title: "Worker", width: 88.0, align: Align::Left },
    Column { title: "Customer", width: 98.0, align: Align::Left },
    Column { title: "Job", width: 98.0, align: Align::Left },
    Column { title: "Description", width: 208.0, align: Align::Left },
    Column { title: "Status", width: 58.0, align: Align::Left },
    Column { title: "Billable", width: 46.0, align: Align::Left },
    Column { title: "Duration", width: 50.0, align: Align::Right },
];

/// Left edge of every column.
fn column_lefts() -> [f32; COLUMN_COUNT] {
    let mut lefts = [0.0; COLUMN_COUNT];
    let mut x = MARGIN;
    for (left, column) in lefts.iter_mut().zip(COLUMNS.iter()) {
        *left = x;
        x += column.width;
    }
    lefts
}

// ---------------------------------------------------------------------------
// Page planning
// ---------------------------------------------------------------------------

/// Which table rows one page shows, and whether the total row closes it.
#[derive(Debug, Clone, PartialEq)]
struct PagePlan {
    rows: Range<usize>,
    total_row: bool,
}

fn table_top(first_page: bool) -> f32 {
    if first_page {
        FIRST_TABLE_TOP
    } else {
        OTHER_TABLE_TOP
    }
}

/// How many body rows fit under the (repeated) table header.
fn rows_per_page(first_page: bool) -> usize {
    let room = table_top(first_page) - HEADER_ROW_H - TABLE_BOTTOM;
    ((room / ROW_H).floor() as usize).max(1)
}

/// Distributes `line_count` rows over pages. The total row follows the last
/// row, or opens a page of its own when it would cross the bottom margin.
fn plan_pages(line_count: usize) -> Vec<PagePlan> {
    if line_count == 0 {
        return vec![PagePlan { rows: 0..0, total_row: false }];
    }
    let mut pages: Vec<PagePlan> = Vec::new();
    let mut start = 0;
    while start < line_count {
        let end = (start + rows_per_page(pages.is_empty())).min(line_count);
        pages.push(PagePlan { rows: start..end, total_row: false });
        start = end;
    }
    let last_is_first = pages.len() == 1;
    let total_fits = |rows_on_page: usize| {
        let bottom_of_rows = table_top(last_is_first) - HEADER_ROW_H - rows_on_page as f32 * ROW_H;
        bottom_of_rows - TOTAL_ROW_H >= TABLE_BOTTOM
    };
    match pages.last_mut() {
        Some(last) if total_fits(last.rows.len()) => last.total_row = true,
        _ => pages.push(PagePlan { rows: line_count..line_count, total_row: true }),
    }
    pages
}

// ---------------------------------------------------------------------------
// Page content
// ---------------------------------------------------------------------------

fn page_content(report: &PdfReport, plan: &PagePlan, index: usize, page_count: usize) -> Vec<u8> {
    let mut content = Content::new();
    let first_page = index == 0;
    if first_page {
        draw_report_header(&mut content, report);
    }
    let mut top = table_top(first_page);
    if report.lines.is_empty() {
        let message = to_win_ansi("No time logged in this period.");
        draw_text(&mut content, Style::BODY_LARGE, MARGIN, top - 12.0, &message);
    } else {
        draw_table_header(&mut content, top);
        top -= HEADER_ROW_H;
        for line in report.lines.get(plan.rows.clone()).unwrap_or_default() {
            draw_row(&mut content, line, top);
            top -= ROW_H;
        }
        if plan.total_row {
            draw_total_row(&mut content, report, top);
        }
    }
    draw_footer(&mut content, report, index + 1, page_count);
    content.finish().into_vec()
}

/// Company, title and period, scope, generation time and the totals box.
fn draw_report_header(content: &mut Content, report: &PdfReport) {
    draw_line_of_text(content, Style::COMPANY, COMPANY_BASELINE, &report.company_name);
    let title = format!("{} \u{2013} {}", report.title, report.period_label);
    draw_line_of_text(content, Style::TITLE, TITLE_BASELINE, &title);
    draw_line_of_text(content, Style::BODY_LARGE, SCOPE_BASELINE, &report.scope_label);
    draw_line_of_text(content, Style::MUTED, GENERATED_BASELINE, &report.generated_label);
    draw_totals_box(content, &report.totals);
}

/// One header line across the full content width, truncated if too long.
fn draw_line_of_text(content: &mut Content, style: Style, baseline: f32, text: &str) {
    let bytes = truncate_to_width(&cell_bytes(text), style.font, style.size, CONTENT_W);
    draw_text(content, style, MARGIN, baseline, &bytes);
}

/// A grey band with "Label value" pairs side by side; pairs that would run
/// past the right margin are left out rather than overlapping.
fn draw_totals_box(content: &mut Content, totals: &[(String, String)]) {
    fill_rect(content, MARGIN, TOTALS_BOX_BOTTOM, CONTENT_W, TOTALS_BOX_H, HEADER_FILL_GRAY);
    let baseline = TOTALS_BOX_BOTTOM + 8.5;
    let right_edge = MARGIN + CONTENT_W - 8.0;
    let mut x = MARGIN + 8.0;
    for (label, value) in totals {
        // Pushed after encoding: `cell_bytes` trims trailing whitespace.
        let mut label = cell_bytes(label);
        label.push(b' ');
        let value = cell_bytes(value);
        let label_w = text_width(&label, Style::TOTAL_LABEL.font, Style::TOTAL_LABEL.size);
        let value_w = text_width(&value, Style::TOTAL_VALUE.font, Style::TOTAL_VALUE.size);
        if x + label_w + value_w > right_edge {
            break;
        }
        draw_text(content, Style::TOTAL_LABEL, x, baseline, &label);
        draw_text(content, Style::TOTAL_VALUE, x + label_w, baseline, &value);
        x += label_w + value_w + 24.0;
    }
}

/// Bold column titles on a light grey band; repeated on every page.
fn draw_table_header(content: &mut Content, top: f32) {
    let bottom = top - HEADER_ROW_H;
    fill_rect(content, MARGIN, bottom, CONTENT_W, HEADER_ROW_H, HEADER_FILL_GRAY);
    let baseline = bottom + BASELINE_RAISE + 1.0;
    for (column, left) in COLUMNS.iter().zip(column_lefts()) {
        draw_cell(content, Style::HEADER_CELL, column.title, left, column, baseline);
    }
}

fn draw_row(content: &mut Content, line: &PdfLine, top: f32) {
    let bottom = top - ROW_H;
    let baseline = bottom + BASELINE_RAISE;
    for ((column, left), text) in COLUMNS.iter().zip(column_lefts()).zip(row_cells(line)) {
        draw_cell(content, Style::CELL, text, left, column, baseline);
    }
    horizontal_rule(content, bottom, RULE_GRAY, 0.5);
}

/// The cell texts of one row, in column order.
fn row_cells(line: &PdfLine) -> [&str; COLUMN_COUNT] {
    [
        line.date.as_str(),
        line.time.as_str(),
        line.worker.as_str(),
        line.customer.as_str(),
        line.job.as_str(),
        line.description.as_str(),
        line.status.as_str(),
        if line.billable { "Yes" } else { "No" },
        line.duration.as_str(),
    ]
}

/// "Total" with the overall duration under the Duration column.
fn draw_total_row(content: &mut Content, report: &PdfReport, top: f32) {
    horizontal_rule(content, top, 0.0, 0.8);
    let baseline = top - TOTAL_ROW_H + BASELINE_RAISE + 2.0;
    let lefts = column_lefts();
    draw_cell(content, Style::HEADER_CELL, "Total", lefts[0], &COLUMNS[0], baseline);
    let total = report.totals.first().map(|(_, value)| value.as_str()).unwrap_or_default();
    let last = COLUMN_COUNT - 1;
    draw_cell(content, Style::HEADER_CELL, total, lefts[last], &COLUMNS[last], baseline);
}

/// Company and period on the left, "Page N of M" on the right.
fn draw_footer(content: &mut Content, report: &PdfReport, page: usize, page_count: usize) {
    let page_label = to_win_ansi(&format!("Page {page} of {page_count}"));
    let page_label_w = text_width(&page_label, Style::FOOTER.font, Style::FOOTER.size);
    let right = MARGIN + CONTENT_W;
    draw_text(content, Style::FOOTER, right - page_label_w, FOOTER_BASELINE, &page_label);

    let left_label = cell_bytes(&format!("{} \u{00b7} {}", report.company_name, report.period_label));
    let room = CONTENT_W - page_label_w - 24.0;
    let left_label = truncate_to_width(&left_label, Style::FOOTER.font, Style::FOOTER.size, room);
    draw_text(content, Style::FOOTER, MARGIN, FOOTER_BASELINE, &left_label);
}

// ---------------------------------------------------------------------------
// Drawing primitives
// ---------------------------------------------------------------------------

/// Font, size and grey level of a piece of text.
#[derive(Clone, Copy)]
struct Style {
    font: Font,
    size: f32,
    gray: f32,
}

impl Style {
    const COMPANY: Style = Style { font: Font::Bold, size: 16.0, gray: 0.0 };
    const TITLE: Style = Style { font: Font::Regular, size: 12.0, gray: 0.0 };
    const BODY_LARGE: Style = Style { font: Font::Regular, size: 10.0, gray: 0.0 };
    const MUTED: Style = Style { font: Font::Regular, size: 9.0, gray: MUTED_GRAY };
    const TOTAL_LABEL: Style = Style { font: Font::Regular, size: 9.0, gray: MUTED_GRAY };
    const TOTAL_VALUE: Style = Style { font: Font::Bold, size: 10.0, gray: 0.0 };
    const HEADER_CELL: Style = Style { font: Font::Bold, size: 9.0, gray: 0.0 };
    const CELL: Style = Style { font: Font::Regular, size: 9.0, gray: 0.0 };
    const FOOTER: Style = Style { font: Font::Regular, size: 8.0, gray: MUTED_GRAY };
}

/// One table cell: flattened to a single line, cut to the column width, aligned.
fn draw_cell(content: &mut Content, style: Style, text: &str, left: f32, column: &Column, baseline: f32) {
    let inner_width = column.width - 2.0 * CELL_PAD;
    let bytes = truncate_to_width(&cell_bytes(text), style.font, style.size, inner_width);
    let x = match column.align {
        Align::Left => left + CELL_PAD,
        Align::Right => left + column.width - CELL_PAD - text_width(&bytes, style.font, style.size),
    };
    draw_text(content, style, x, baseline, &bytes);
}

/// Shows WinAnsi-encoded `bytes` with its left end of the baseline at (x, y).
fn draw_text(content: &mut Content, style: Style, x: f32, y: f32, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    content.begin_text();
    content.set_fill_gray(style.gray);
    content.set_font(style.font.resource_name(), style.size);
    content.next_line(x, y);
    content.show(Str(bytes));
    content.end_text();
}

/// A filled rectangle; the graphics state is saved so the fill colour does not
/// leak into later text.
fn fill_rect(content: &mut Content, x: f32, y: f32, width: f32, height: f32, gray: f32) {
    content.save_state();
    content.set_fill_gray(gray);
    content.rect(x, y, width, height);
    content.fill_nonzero();
    content.restore_state();
}

/// A line across the full content width at height `y`.
fn horizontal_rule(content: &mut Content, y: f32, gray: f32, line_width: f32) {
    content.save_state();
    content.set_stroke_gray(gray);
    content.set_line_width(line_width);
    content.move_to(MARGIN, y);
    content.line_to(MARGIN + CONTENT_W, y);
    content.stroke();
    content.restore_state();
}

// ---------------------------------------------------------------------------
// Document structure
// ---------------------------------------------------------------------------

/// Writes catalog, page tree, fonts, pages with their content streams and the
/// document info.
fn write_document(report: &PdfReport, page_contents: &[Vec<u8>]) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let info_id = Ref::new(3);
    let regular_id = Ref::new(4);
    let bold_id = Ref::new(5);
    // Each page takes two ids: the page object and its content stream.
    let page_ids: Vec<(Ref, Ref)> = (0..page_contents.len())
        .map(|index| {
            let base = 6 + 2 * index as i32;
            (Ref::new(base), Ref::new(base + 1))
        })
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id).kids(page_ids.iter().map(|&(page_id, _)| page_id)).count(page_ids.len() as i32);
    for (font, font_id) in [(Font::Regular, regular_id), (Font::Bold, bold_id)] {
        write_font(&mut pdf, font, font_id);
    }
    for (&(page_id, content_id), content) in page_ids.iter().zip(page_contents) {
        pdf.page(page_id)
            .parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(content_id)
            .resources()
            .fonts()
            .pair(Font::Regular.resource_name(), regular_id)
            .pair(Font::Bold.resource_name(), bold_id);
        pdf.stream(content_id, content);
    }
    let document_title = format!("{} \u{2013} {}", report.title, report.period_label);
    pdf.document_info(info_id).title(TextStr(&document_title)).producer(TextStr("Fieldbook"));
    pdf.finish()
}

/// A standard-14 font with WinAnsi encoding. The widths are written too, so
/// viewers lay text out with exactly the metrics used for alignment here.
fn write_font(pdf: &mut Pdf, font: Font, id: Ref) {
    pdf.type1_font(id)
        .base_font(font.base_font())
        .encoding_predefined(Name(b"WinAnsiEncoding"))
        .first_char(FIRST_WIDTH_CODE)
        .last_char(255)
        .widths(font.widths().iter().map(|&width| f32::from(width)));
}

// ---------------------------------------------------------------------------
// Fonts, encoding and measuring
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    /// The name under which page resources refer to the font.
    fn resource_name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    fn base_font(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"Helvetica"),
            Font::Bold => Name(b"Helvetica-Bold"),
        }
    }

    fn widths(self) -> &'static [u16; WIDTH_COUNT] {
        match self {
            Font::Regular => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
        }
    }
}

const FIRST_WIDTH_CODE: u8 = 32;
const WIDTH_COUNT: usize = 256 - FIRST_WIDTH_CODE as usize;
/// Used for codes below the width tables (never produced by `to_win_ansi`).
const FALLBACK_WIDTH: u16 = 556;
/// "…" in Windows-1252.
const ELLIPSIS: u8 = 0x85;

/// Glyph widths of Helvetica for WinAnsi codes 32..=255, in 1/1000 em (Adobe
/// AFM metrics; codes WinAnsi leaves unassigned use the bullet's width).
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; WIDTH_COUNT] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 32..=47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 48..=63
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 64..=79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 80..=95
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 96..=111
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350, // 112..=127
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 128..=143
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, // 144..=159
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160..=175
    400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176..=191
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192..=207
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208..=223
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 224..=239
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 240..=255
];

/// Glyph widths of Helvetica-Bold for WinAnsi codes 32..=255, like above.
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; WIDTH_COUNT] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 32..=47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 48..=63
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 64..=79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 80..=95
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 96..=111
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350, // 112..=127
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 128..=143
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667, // 144..=159
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160..=175
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176..=191
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192..=207
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208..=223
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 224..=239
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 240..=255
];

fn glyph_width(font: Font, byte: u8) -> u16 {
    match byte.checked_sub(FIRST_WIDTH_CODE) {
        Some(index) => font.widths()[usize::from(index)],
        None => FALLBACK_WIDTH,
    }
}

/// Width of WinAnsi-encoded text in points.
fn text_width(bytes: &[u8], font: Font, size: f32) -> f32 {
    let units: u32 = bytes.iter().map(|&byte| u32::from(glyph_width(font, byte))).sum();
    units as f32 * size / 1000.0
}

/// Cuts `bytes` so that, followed by "…", they fit in `max_width` points.
/// Text that already fits is returned unchanged.
fn truncate_to_width(bytes: &[u8], font: Font, size: f32, max_width: f32) -> Vec<u8> {
    if text_width(bytes, font, size) <= max_width {
        return bytes.to_vec();
    }
    let budget = max_width - text_width(&[ELLIPSIS], font, size);
    let mut used = 0.0;
    let mut kept = Vec::new();
    for &byte in bytes {
        let width = f32::from(glyph_width(font, byte)) * size / 1000.0;
        if used + width > budget {
            break;
        }
        used += width;
        kept.push(byte);
    }
    // "word …" reads worse than "word…".
    while kept.last() == Some(&b' ') {
        kept.pop();
    }
    kept.push(ELLIPSIS);
    kept
}

/// Text for one table cell or header line: whitespace runs (newlines, tabs)
/// collapsed to single spaces, then WinAnsi-encoded.
fn cell_bytes(text: &str) -> Vec<u8> {
    let single_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    to_win_ansi(&single_line)
}

/// Converts a string to Windows-1252 bytes; characters it cannot represent
/// become '?', control characters become spaces.
fn to_win_ansi(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi_byte).collect()
}

fn win_ansi_byte(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        // Latin-1 Supplement maps to the same byte value.
        '\u{a0}'..='\u{ff}' => c as u8,
        c if c.is_ascii_control() => b' ',
        '\u{20ac}' => 0x80, // €
        '\u{201a}' => 0x82, // ‚
        '\u{0192}' => 0x83, // ƒ
        '\u{201e}' => 0x84, // „
        '\u{2026}' => 0x85, // …
        '\u{2020}' => 0x86, // †
        '\u{2021}' => 0x87, // ‡
        '\u{02c6}' => 0x88, // ˆ
        '\u{2030}' => 0x89, // ‰
        '\u{0160}' => 0x8a, // Š
        '\u{2039}' => 0x8b, // ‹
        '\u{0152}' => 0x8c, // Œ
        '\u{017d}' => 0x8e, // Ž
        '\u{2018}' => 0x91, // ‘
        '\u{2019}' => 0x92, // ’
        '\u{201c}' => 0x93, // “
        '\u{201d}' => 0x94, // ”
        '\u{2022}' => 0x95, // •
        '\u{2013}' => 0x96, // –
        '\u{2014}' => 0x97, // —
        '\u{02dc}' => 0x98, // ˜
        '\u{2122}' => 0x99, // ™
        '\u{0161}' => 0x9a, // š
        '\u{203a}' => 0x9b, // ›
        '\u{0153}' => 0x9c, // œ
        '\u{017e}' => 0x9e, // ž
        '\u{0178}' => 0x9f, // Ÿ
        _ => b'?',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(index: usize) -> PdfLine {
        PdfLine {
            date: format!("Mon {:02} Nov", index % 28 + 1),
            time: "09:00\u{2013}11:30".into(),
            worker: "Jana Müller".into(),
            customer: "Harbour Café".into(),
            job: format!("Job #{index} (roof)"),
            description: "Replaced the gutter on the north side,\nchecked flashing and cleaned up \\ (all) \u{2713}"
                .repeat(3),
            status: "Approved".into(),
            billable: !index.is_multiple_of(3),
            duration: "2:30".into(),
        }
    }

    fn report(line_count: usize) -> PdfReport {
        PdfReport {
            company_name: "Müller Bau GmbH".into(),
            title: "Time report".into(),
            period_label: "November 2026".into(),
            scope_label: "All customers and workers".into(),
            generated_label: "Generated 21 Nov 2026 14:05 (Europe/Berlin)".into(),
            totals: vec![
                ("Total".into(), "300:00 h".into()),
                ("Billable".into(), "200:00 h".into()),
                ("Approved".into(), "300:00 h".into()),
            ],
            lines: (0..line_count).map(line).collect(),
        }
    }

    /// The number after the first `/Count ` in the file (the page tree's).
    fn page_count(pdf: &[u8]) -> Option<usize> {
        let key = b"/Count ";
        let start = pdf.windows(key.len()).position(|window| window == key)? + key.len();
        let digits: Vec<u8> = pdf[start..].iter().copied().take_while(u8::is_ascii_digit).collect();
        String::from_utf8(digits).ok()?.parse().ok()
    }

    #[test]
    fn long_report_spans_several_pages() {
        let pdf = render(&report(120));
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = page_count(&pdf).expect("page tree has a /Count");
        assert!(pages > 1, "expected several pages, got {pages}");
        assert_eq!(pages, plan_pages(120).len());
        assert!(pdf.windows(b"Page 1 of".len()).any(|window| window == b"Page 1 of"));
    }

    #[test]
    fn empty_report_is_one_page() {
        let pdf = render(&report(0));
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(page_count(&pdf), Some(1));
    }

    #[test]
    fn plan_covers_every_row_once_and_ends_with_the_total() {
        for count in [1, 27, 28, 29, 64, 120, 500] {
            let plans = plan_pages(count);
            let mut next = 0;
            for plan in &plans {
                assert_eq!(plan.rows.start, next);
                next = plan.rows.end;
            }
            assert_eq!(next, count);
            assert_eq!(plans.iter().filter(|plan| plan.total_row).count(), 1);
            assert!(plans.last().is_some_and(|plan| plan.total_row));
        }
    }

    #[test]
    fn converts_to_win_ansi() {
        assert_eq!(to_win_ansi("Café €5 – ok ✓"), b"Caf\xe9 \x805 \x96 ok ?".to_vec());
        assert_eq!(to_win_ansi("„x“ — ™ Ÿ"), b"\x84x\x93 \x97 \x99 \x9f".to_vec());
        assert_eq!(cell_bytes("two\nlines\tand  tab"), b"two lines and tab".to_vec());
    }

    #[test]
    fn truncates_long_text_with_ellipsis() {
        let long = to_win_ansi(&"Long description ".repeat(20));
        let cut = truncate_to_width(&long, Font::Regular, 9.0, 100.0);
        assert!(cut.len() < long.len());
        assert_eq!(cut.last(), Some(&ELLIPSIS));
        assert!(text_width(&cut, Font::Regular, 9.0) <= 100.0);

        let short = to_win_ansi("Short");
        assert_eq!(truncate_to_width(&short, Font::Regular, 9.0, 100.0), short);
    }

    #[test]
    fn columns_fill_the_content_width() {
        let total: f32 = COLUMNS.iter().map(|column| column.width).sum();
        assert!((total - CONTENT_W).abs() < 0.01);
    }
}
