//! The radar of the five dimensions as inline SVG (no script, as the
//! budget report's charts): axes clockwise from 12 o'clock (da, mc, pg,
//! mt, tm), rings 1–5 named after the stages, the stage as a solid
//! polygon and the answers-only stage as a dashed one.

use std::fmt::Write;

use super::super::model::{stage_name, Lang, DIMENSIONS};
use super::super::Assessment;
use super::words;
use crate::report::html::escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 470.0;
const CX: f64 = 320.0;
const CY: f64 = 236.0;
const RADIUS: f64 = 165.0;
pub const STAGE_COLOUR: &str = "#2563eb";
pub const ANSWERS_COLOUR: &str = "#ea580c";

/// The point at `stage` (0..=5) on axis `axis` (0..5).
fn point(axis: usize, stage: f64) -> (f64, f64) {
    let angle = (-90.0 + 72.0 * axis as f64).to_radians();
    let r = RADIUS * stage / 5.0;
    (CX + r * angle.cos(), CY + r * angle.sin())
}

fn points(stages: &[usize]) -> String {
    (stages.iter().enumerate())
        .map(|(axis, &stage)| {
            let (x, y) = point(axis, stage as f64);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn radar(a: &Assessment) -> String {
    let lang = a.lang;
    let w = words(lang);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}">"#,
        escape(w.radar)
    );
    // Rings, then axes.
    for ring in 1..=5 {
        let ring_points = points(&[ring; 5]);
        let _ = write!(
            svg,
            r##"<polygon points="{ring_points}" fill="none" stroke="#cbd5e1" stroke-width="1"/>"##
        );
    }
    for (axis, dimension) in DIMENSIONS.iter().enumerate() {
        let (x, y) = point(axis, 5.0);
        let _ = write!(
            svg,
            r##"<line x1="{CX}" y1="{CY}" x2="{x:.1}" y2="{y:.1}" stroke="#cbd5e1" stroke-width="1"/>"##
        );
        let (lx, ly) = point(axis, 5.75);
        let anchor = if (lx - CX).abs() < 1.0 {
            "middle"
        } else if lx > CX {
            "start"
        } else {
            "end"
        };
        // "Messaging/Content" on two lines, so the side labels fit.
        let name = dimension.name.get(lang);
        let lines: Vec<&str> = match name.split_once('/') {
            Some((first, _)) => vec![&name[..=first.len()], &name[first.len() + 1..]],
            None => vec![name],
        };
        let top = if ly < CY - RADIUS {
            ly - 10.0 - 16.0 * (lines.len() - 1) as f64
        } else {
            ly - 3.0
        };
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" class="name">{}</text>"#,
                top + 16.0 * i as f64,
                escape(line)
            );
        }
        let stage = a.dimensions[axis].stage;
        let _ = write!(
            svg,
            r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" class="note">{}</text>"#,
            top + 16.0 * lines.len() as f64,
            escape(&format!("{} {stage} {}", w.stage, stage_name(stage, lang)))
        );
    }
    // Ring names along the top axis.
    for ring in 1..=5 {
        let (x, y) = point(0, ring as f64);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="ring">{ring} {}</text>"#,
            x + 5.0,
            y + 11.0,
            escape(stage_name(ring, lang))
        );
    }
    let answered: Vec<usize> = a.dimensions.iter().map(|d| d.stage_answers_only).collect();
    let staged: Vec<usize> = a.dimensions.iter().map(|d| d.stage).collect();
    let _ = write!(
        svg,
        r#"<polygon points="{}" fill="{STAGE_COLOUR}" fill-opacity="0.22" stroke="{STAGE_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>"#,
        points(&staged)
    );
    let _ = write!(
        svg,
        r#"<polygon points="{}" fill="none" stroke="{ANSWERS_COLOUR}" stroke-width="2.5" stroke-dasharray="7 5" stroke-linejoin="round"/>"#,
        points(&answered)
    );
    for (axis, dimension) in a.dimensions.iter().enumerate() {
        let (x, y) = point(axis, dimension.stage as f64);
        let _ = write!(
            svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{STAGE_COLOUR}"><title>{}: {} {}</title></circle>"#,
            escape(DIMENSIONS[axis].name.get(lang)),
            dimension.stage,
            escape(stage_name(dimension.stage, lang))
        );
    }
    legend(&mut svg, lang);
    svg.push_str("</svg>");
    svg
}

/// The two line styles, explained under the radar.
fn legend(svg: &mut String, lang: Lang) {
    let w = words(lang);
    let y = HEIGHT - 14.0;
    let _ = write!(
        svg,
        r#"<line x1="16" y1="{y}" x2="46" y2="{y}" stroke="{STAGE_COLOUR}" stroke-width="3"/><text x="52" y="{:.1}" class="note">{}</text>"#,
        y + 4.0,
        escape(w.solid)
    );
    let x = WIDTH / 2.0 + 40.0;
    let _ = write!(
        svg,
        r#"<line x1="{x}" y1="{y}" x2="{:.1}" y2="{y}" stroke="{ANSWERS_COLOUR}" stroke-width="3" stroke-dasharray="7 5"/><text x="{:.1}" y="{:.1}" class="note">{}</text>"#,
        x + 30.0,
        x + 36.0,
        y + 4.0,
        escape(w.dashed)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Axes run clockwise from 12 o'clock.
    #[test]
    fn axes_clockwise_from_the_top() {
        let (x0, y0) = point(0, 5.0);
        assert!((x0 - CX).abs() < 1e-9 && (y0 - (CY - RADIUS)).abs() < 1e-9);
        let (x1, y1) = point(1, 5.0);
        assert!(x1 > CX && y1 < CY, "mc is upper right");
        let (x2, y2) = point(2, 5.0);
        assert!(x2 > CX && y2 > CY, "pg is lower right");
        let (x4, y4) = point(4, 5.0);
        assert!(x4 < CX && y4 < CY, "tm is upper left");
        assert_eq!(point(3, 0.0), (CX, CY));
    }
}
