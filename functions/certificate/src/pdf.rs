//! The certificate as a one-page A4 PDF: the text in DejaVu Sans (embedded, cut by `subsetter` to the glyphs the
//! page uses, with a ToUnicode map so the text can be copied and searched), and the verification address as a QR
//! code (`qrcode` encodes it; each dark module is a filled square). The objects are written with `pdf-writer`.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;

/// DejaVu Sans 2.37 cut to Latin, Cyrillic and the punctuation a certificate uses (fonts/README.md): the whole
/// Kazakh and Russian alphabets, and the Latin ones (Kazakh's 2021 Latin alphabet included).
const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans-KkRuLatin.ttf");
const FONT_NAME: &[u8] = b"DJVSUB+DejaVuSans";

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const QR_SIZE: f32 = 120.0;

/// What the page says: the service's words in the reader's language and the person's data, already written.
pub struct Page<'a> {
    pub service: &'a str,
    pub title: &'a str,
    /// (label, value), top to bottom.
    pub rows: &'a [(&'a str, String)],
    /// Beside the QR code: how to check the certificate, then the address it encodes.
    pub check_text: &'a str,
    pub url: &'a str,
    pub note: &'a str,
    /// The document's title in its metadata (the number).
    pub document_title: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The embedded font could not be read or cut (not reached with the font in the repository).
    Font(String),
    /// A character the font has no glyph for: refused rather than shown as a box.
    MissingGlyph(char),
    Qr(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Font(e) => write!(f, "font: {e}"),
            PdfError::MissingGlyph(c) => write!(f, "the font has no glyph for U+{:04X}", u32::from(*c)),
            PdfError::Qr(e) => write!(f, "QR code: {e}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// The glyphs of the page's text: each character's glyph in the font, renumbered for the subset.
struct Glyphs<'f> {
    face: ttf_parser::Face<'f>,
    remapper: subsetter::GlyphRemapper,
    /// new glyph id -> (old glyph id, the character it shows)
    used: BTreeMap<u16, (u16, char)>,
    units_per_em: f32,
}

impl<'f> Glyphs<'f> {
    fn new(font: &'f [u8]) -> Result<Self, PdfError> {
        let face = ttf_parser::Face::parse(font, 0).map_err(|e| PdfError::Font(e.to_string()))?;
        let units_per_em = f32::from(face.units_per_em());
        let mut remapper = subsetter::GlyphRemapper::new();
        remapper.remap(0);
        Ok(Glyphs { face, remapper, used: BTreeMap::new(), units_per_em })
    }

    /// The text as the content stream shows it: two bytes per glyph (Identity-H, the subset's glyph ids).
    fn encode(&mut self, text: &str) -> Result<Vec<u8>, PdfError> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let old = self.face.glyph_index(c).ok_or(PdfError::MissingGlyph(c))?.0;
            let new = self.remapper.remap(old);
            self.used.entry(new).or_insert((old, c));
            out.extend_from_slice(&new.to_be_bytes());
        }
        Ok(out)
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                let advance = self.face.glyph_index(c).and_then(|g| self.face.glyph_hor_advance(g)).unwrap_or(0);
                f32::from(advance) * size / self.units_per_em
            })
            .sum()
    }

    /// `text` in lines no wider than `max` points, broken at spaces (a word longer than a line is cut).
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if self.width(&candidate, size) <= max || line.is_empty() && self.width(word, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_string();
            while self.width(&rest, size) > max {
                let mut cut = String::new();
                for c in rest.chars() {
                    if self.width(&format!("{cut}{c}"), size) > max && !cut.is_empty() {
                        break;
                    }
                    cut.push(c);
                }
                rest = rest[cut.len()..].to_string();
                lines.push(cut);
            }
            line = rest;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn per_mille(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / self.units_per_em
    }
}

/// Text drawn so far: lines top-down from `y`.
struct Writer<'g, 'f> {
    glyphs: &'g mut Glyphs<'f>,
    content: Content,
    y: f32,
}

impl Writer<'_, '_> {
    fn line(&mut self, x: f32, text: &str, size: f32, gray: f32) -> Result<(), PdfError> {
        self.y -= size * 1.35;
        let encoded = self.glyphs.encode(text)?;
        self.content.set_fill_gray(gray);
        self.content.begin_text();
        self.content.set_font(Name(b"F1"), size);
        self.content.next_line(x, self.y);
        self.content.show(Str(&encoded));
        self.content.end_text();
        Ok(())
    }

    fn paragraph(&mut self, x: f32, text: &str, size: f32, gray: f32, width: f32) -> Result<(), PdfError> {
        for line in self.glyphs.wrap(text, size, width) {
            self.line(x, &line, size, gray)?;
        }
        Ok(())
    }
}

/// The PDF of `page`.
pub fn render(page: &Page<'_>) -> Result<Vec<u8>, PdfError> {
    let mut glyphs = Glyphs::new(FONT)?;
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let mut w = Writer { glyphs: &mut glyphs, content: Content::new(), y: PAGE_HEIGHT - MARGIN };
    w.paragraph(MARGIN, page.service, 10.0, 0.35, width)?;
    w.y -= 8.0;
    w.paragraph(MARGIN, page.title, 17.0, 0.0, width)?;
    w.y -= 10.0;
    for (label, value) in page.rows {
        w.y -= 4.0;
        w.paragraph(MARGIN, label, 9.0, 0.4, width)?;
        w.paragraph(MARGIN, value, 12.0, 0.0, width)?;
    }
    // The QR code under the rows, its explanation beside it.
    w.y -= 24.0;
    let qr_top = w.y;
    draw_qr(&mut w.content, page.url, MARGIN, qr_top - QR_SIZE)?;
    let text_x = MARGIN + QR_SIZE + 16.0;
    let text_width = PAGE_WIDTH - MARGIN - text_x;
    w.paragraph(text_x, page.check_text, 9.0, 0.2, text_width)?;
    w.paragraph(text_x, page.url, 9.0, 0.0, text_width)?;
    w.y = w.y.min(qr_top - QR_SIZE) - 16.0;
    w.paragraph(MARGIN, page.note, 8.0, 0.4, width)?;
    let content = w.content.finish();
    assemble(&glyphs, &content, page.document_title)
}

/// The QR code of `url` (error correction M), `QR_SIZE` points square with its quiet zone, lower left at (x, y).
fn draw_qr(content: &mut Content, url: &str, x: f32, y: f32) -> Result<(), PdfError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| PdfError::Qr(e.to_string()))?;
    let n = code.width();
    // Four modules of quiet zone on each side, as the standard asks.
    let module = QR_SIZE / (n + 8) as f32;
    let colors = code.to_colors();
    content.set_fill_gray(0.0);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            // One rectangle per run of dark modules in the row.
            let start = col;
            while col < n && colors[row * n + col] == qrcode::Color::Dark {
                col += 1;
            }
            let left = x + (start + 4) as f32 * module;
            let top = y + QR_SIZE - (row + 4) as f32 * module;
            content.rect(left, top - module, (col - start) as f32 * module, module);
        }
    }
    content.fill_nonzero();
    Ok(())
}

/// The document around the page's content: catalog, page, the subset font (Type0 / CIDFontType2, Identity-H),
/// its widths and ToUnicode map, the metadata.
fn assemble(glyphs: &Glyphs<'_>, content: &[u8], title: &str) -> Result<Vec<u8>, PdfError> {
    let [catalog, pages, page, font, cid, descriptor, file, cmap, contents, info] =
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(Ref::new);
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(pages).contents(contents);
    p.resources().fonts().pair(Name(b"F1"), font);
    p.finish();
    pdf.stream(contents, content);
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("residence-registration certificate"));

    let subset = subsetter::subset(FONT, 0, &glyphs.remapper).map_err(|e| PdfError::Font(e.to_string()))?;
    let system = || SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    pdf.type0_font(font)
        .base_font(Name(FONT_NAME))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let widths: Vec<f32> = (0..glyphs.remapper.num_gids())
        .map(|new| {
            let old = glyphs.used.get(&new).map(|(old, _)| *old).unwrap_or(0);
            let advance = glyphs.face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0);
            f32::from(advance) * 1000.0 / glyphs.units_per_em
        })
        .collect();
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(Name(FONT_NAME))
        .system_info(system())
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    c.widths().consecutive(0, widths);
    c.finish();
    let face = &glyphs.face;
    let b = face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(Name(FONT_NAME))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            glyphs.per_mille(b.x_min),
            glyphs.per_mille(b.y_min),
            glyphs.per_mille(b.x_max),
            glyphs.per_mille(b.y_max),
        ))
        .italic_angle(0.0)
        .ascent(glyphs.per_mille(face.ascender()))
        .descent(glyphs.per_mille(face.descender()))
        .cap_height(glyphs.per_mille(face.capital_height().unwrap_or(face.ascender())))
        .stem_v(80.0)
        .font_file2(file);
    pdf.stream(file, &subset).pair(Name(b"Length1"), i32::try_from(subset.len()).unwrap_or(i32::MAX));
    let mut unicode = UnicodeCmap::new(Name(b"Custom"), system());
    for (new, (_, c)) in &glyphs.used {
        unicode.pair(*new, *c);
    }
    pdf.cmap(cmap, &unicode.finish());
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_of_kazakh_and_russian_has_a_glyph() {
        let mut glyphs = Glyphs::new(FONT).expect("font");
        let kazakh = "АаӘәБбВвГгҒғДдЕеЁёЖжЗзИиЙйКкҚқЛлМмНнҢңОоӨөПпРрСсТтУуҰұҮүФфХхҺһЦцЧчШшЩщЪъЫыІіЬьЭэЮюЯя";
        assert!(glyphs.encode(kazakh).is_ok());
        assert!(glyphs.encode("ÄäĞğÑñÖöŞşŪūÜüIıİi №1 – «» “” € ₸").is_ok(), "Kazakh in Latin letters, punctuation");
        assert_eq!(glyphs.encode("\u{E000}"), Err(PdfError::MissingGlyph('\u{E000}')));
        assert_eq!(glyphs.encode("Ω"), Err(PdfError::MissingGlyph('Ω')), "outside the cut");
    }

    #[test]
    fn long_text_wraps_within_the_width() {
        let glyphs = Glyphs::new(FONT).expect("font");
        let text = "Астана қаласы, Мәңгілік Ел даңғылы, 10-үй, 1-пәтер ".repeat(4);
        let lines = glyphs.wrap(text.trim(), 12.0, 200.0);
        assert!(lines.len() > 4);
        assert!(lines.iter().all(|l| glyphs.width(l, 12.0) <= 200.0), "{lines:?}");
        assert_eq!(lines.join(" "), text.trim());
    }
}
