//! `--format html` in a real browser: headless Chromium (Debian's
//! `chromium`, with `fonts-noto-cjk`; installed with apt-get when missing
//! and we are root, as `.ci/run` does) loads the check report of the
//! example month and the audit of a generated log, dumps the DOM, takes
//! PNG screenshots and prints the check report to PDF. Artefacts go to
//! `target/html-browser/` (not committed).
//!
//! What is checked: the DOM after the browser has parsed the page (违反
//! marks against `--format json`/`jsonl`, every finding's article and
//! 原文), the screenshots are real images of the expected size, and the
//! CJK font: the page asks for Noto Sans CJK, fontconfig resolves that
//! name to the installed font (not a fallback), and the PDF Chromium
//! prints embeds Noto Sans CJK — so the Chinese was drawn with it, not as
//! tofu. The PDF's pages are A4.
//!
//! Without Chromium or the font (and no way to install them) the test
//! fails and says why; it never passes vacuously.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FONT_FAMILY: &str = "Noto Sans CJK SC";

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(common::ROOT).join("target/html-browser");
    std::fs::create_dir_all(&dir).expect("create target/html-browser");
    dir
}

fn on_path(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn cjk_font_installed() -> bool {
    Command::new("fc-list")
        .args([":lang=zh", "family"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(FONT_FAMILY))
}

/// Chromium and the CJK font, installed from Debian's packages when
/// missing (as root); a clear failure otherwise.
fn ensure_browser() {
    // The two tests run in parallel: one apt-get at a time (a second one
    // fails on dpkg's lock while the first installs).
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if on_path("chromium") && on_path("fc-list") && cjk_font_installed() {
        return;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    assert!(
        root && on_path("apt-get"),
        "the browser test needs Debian's `chromium` and `fonts-noto-cjk` (and fontconfig); \
         they are missing and cannot be installed here (not root, or no apt-get): \
         install them with `apt-get install chromium fonts-noto-cjk fontconfig`"
    );
    let install = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                   chromium fonts-noto-cjk fontconfig";
    let out = Command::new("sh")
        .args(["-c", install])
        .output()
        .expect("run apt-get");
    assert!(
        out.status.success() && on_path("chromium") && cjk_font_installed(),
        "installing chromium and fonts-noto-cjk failed (the browser test cannot run):\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run headless Chromium on a file with `args`, in a fresh profile, with
/// a time limit; its stdout.
fn chromium(page: &Path, args: &[String]) -> String {
    let profile = out_dir().join(format!(
        "profile-{}-{}",
        std::process::id(),
        page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
    ));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("profile dir");
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .arg(format!("file://{}", page.display()))
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start chromium");
    // Read stdout on a thread (a large DOM would fill the pipe).
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).map(|_| s)
    });
    let mut stderr = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for chromium") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {args:?} did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = reader.join().expect("reader").expect("chromium stdout");
    let err = err_reader.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        status.success(),
        "chromium {args:?} failed: {status}\n{err}"
    );
    out
}

/// Load `page` in the browser: its DOM after parsing, a screenshot.
fn render(page: &Path, png: &Path, height: u32) -> String {
    let dom = chromium(page, &["--dump-dom".to_string()]);
    assert!(dom.contains("</html>"), "chromium dumped a DOM");
    let _ = std::fs::remove_file(png);
    chromium(
        page,
        &[
            format!("--window-size=1240,{height}"),
            format!("--screenshot={}", png.display()),
        ],
    );
    let (w, h) = png_size(png);
    assert_eq!((w, h), (1240, height), "screenshot {}", png.display());
    let bytes = std::fs::metadata(png).expect("png").len();
    // A blank page compresses to a few kB; a drawn report does not.
    assert!(
        bytes > 40_000,
        "screenshot {} is {bytes} bytes: blank?",
        png.display()
    );
    dom
}

/// Width and height from a PNG's IHDR.
fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).expect("read png");
    assert!(
        b.len() > 24 && b.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is a PNG",
        path.display()
    );
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

/// Text as it appears in a serialised DOM (text nodes escape these).
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// The CJK font is the one the page asks for, and fontconfig resolves
/// that name to it (no substitute).
fn assert_font_requested_and_installed(html: &str) {
    assert!(
        html.contains(&format!("font-family: \"{FONT_FAMILY}\"")),
        "the stylesheet asks for {FONT_FAMILY} first"
    );
    let m = Command::new("fc-match")
        .args([FONT_FAMILY, "family"])
        .output()
        .expect("fc-match");
    let family = String::from_utf8_lossy(&m.stdout);
    assert!(
        family.contains(FONT_FAMILY),
        "fc-match resolves {FONT_FAMILY} to itself, got {family:?}"
    );
}

#[test]
fn check_report_in_a_browser() {
    ensure_browser();
    let dir = out_dir();
    let args = [
        "check",
        "rulesets/qianan-2022.guize",
        "examples/qianan-2023-09.guize",
    ];
    let page = common::guize(&[&args[..], &["--format", "html"]].concat());
    assert_eq!(page.code, 1, "{}", page.describe());
    let html_path = dir.join("report.html");
    std::fs::write(&html_path, &page.stdout).expect("write report.html");
    assert_font_requested_and_installed(&page.stdout);

    let json = common::guize(&[&args[..], &["--format", "json"]].concat());
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let findings: Vec<&serde_json::Value> = doc["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .flat_map(|r| r["findings"].as_array().expect("findings"))
        .collect();
    let violated = findings.iter().filter(|f| f["verdict"] == "违反").count();
    assert_eq!(violated, 2, "the example month has two 违反");

    let dom = render(&html_path, &dir.join("report.png"), 2000);
    std::fs::write(dir.join("report.dom.html"), &dom).expect("write dom");
    assert_eq!(
        dom.matches(r#"data-bar="违反""#).count(),
        violated,
        "one 违反 bar per 违反 finding"
    );
    assert_eq!(
        dom.matches(r#"class="ob "#).count(),
        findings.len(),
        "one mark per finding"
    );
    for f in &findings {
        let article = f["article_display"].as_str().expect("article");
        assert!(dom.contains(article), "{article} in the page");
        if let Some(q) = f["quote"].as_str() {
            assert!(
                dom.contains(&dom_text(q)),
                "原文 of {article} in the page: {q}"
            );
        }
    }
    // The day strip comes from the calendar: 10-01 a holiday, 10-07 a
    // 调休 working day, 10-14 a weekend.
    for (date, class) in [
        ("2023-10-01", "day holiday"),
        ("2023-10-07", "day adjusted"),
        ("2023-10-14", "day weekend"),
        ("2023-10-09", "day work"),
    ] {
        assert!(
            dom.contains(&format!(r#"class="{class}" data-date="{date}""#)),
            "{date} drawn as {class}"
        );
    }
    // The day-by-day count of 第六十三条's deadline (10-12): 9-28 is the
    // 1st working day, 10-07 the 2nd.
    assert!(dom.contains("逐日计数：自 2023-09-27 起向后 7个工作日"));

    // Printed: A4 pages, the Chinese drawn with Noto Sans CJK.
    let pdf = dir.join("report.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium(
        &html_path,
        &[
            "--no-pdf-header-footer".to_string(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("pdf written");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("NotoSansCJK"),
        "the printed report embeds Noto Sans CJK (Chinese not drawn with it)"
    );
    let boxes: BTreeSet<&str> = text
        .match_indices("/MediaBox [")
        .map(|(i, _)| {
            let rest = &text[i + 11..];
            &rest[..rest.find(']').unwrap_or(0)]
        })
        .collect();
    assert!(!boxes.is_empty(), "the PDF has pages");
    for b in &boxes {
        let n: Vec<f64> = b
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        assert!(
            n.len() == 4 && (n[2] - 595.0).abs() < 2.0 && (n[3] - 842.0).abs() < 2.0,
            "an A4 page (595 × 842 pt), got [{b}]"
        );
    }
}

#[test]
fn audit_report_in_a_browser() {
    ensure_browser();
    let dir = out_dir();
    let ruleset = "rulesets/qianan-2022.guize";
    let log = dir.join("audit-log.jsonl");
    let generated = Command::new(env!("CARGO_BIN_EXE_guize"))
        .args([
            "gen",
            "--ruleset",
            ruleset,
            "--events",
            "1500",
            "--seed",
            "16",
        ])
        .current_dir(common::ROOT)
        .output()
        .expect("guize gen");
    assert!(generated.status.success(), "guize gen");
    std::fs::write(&log, &generated.stdout).expect("write log");
    let log_arg = log.to_str().expect("utf-8 path");

    let page = common::guize(&["audit", ruleset, log_arg, "--format", "html"]);
    assert_eq!(page.code, 1, "{}", page.describe());
    let html_path = dir.join("audit.html");
    std::fs::write(&html_path, &page.stdout).expect("write audit.html");
    assert_font_requested_and_installed(&page.stdout);

    let jsonl = common::guize(&["audit", ruleset, log_arg, "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let findings: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["type"] == "finding").collect();
    let violated = findings.iter().filter(|f| f["verdict"] == "违反").count();
    assert!(
        violated > 10,
        "a generated year has violations ({violated})"
    );

    let dom = render(&html_path, &dir.join("audit.png"), 2400);
    std::fs::write(dir.join("audit.dom.html"), &dom).expect("write dom");
    assert_eq!(
        dom.matches(r#"data-row="违反""#).count(),
        violated,
        "one 违反 row per 违反 finding"
    );
    assert_eq!(
        dom.matches("data-row=").count(),
        findings.len(),
        "one row per finding listed"
    );
    // The heat-map counts every 违反 once.
    let heat: usize = dom
        .match_indices("data-count=\"")
        .map(|(i, _)| {
            let rest = &dom[i + 12..];
            rest[..rest.find('"').expect("end of count")]
                .parse::<usize>()
                .expect("count")
        })
        .sum();
    assert_eq!(heat, violated, "heat-map total");
    for f in &findings {
        let article = f["article_display"].as_str().expect("article");
        assert!(dom.contains(article), "{article} in the page");
        if let Some(q) = f["quote"].as_str() {
            assert!(
                dom.contains(&dom_text(q)),
                "原文 of {article} in the page: {q}"
            );
        }
        // Each row names its log line.
        if let Some(line) = f["events"][0]["line"].as_u64() {
            assert!(
                dom.contains(&format!("audit-log.jsonl:{line}<")),
                "log line {line} named"
            );
        }
    }
}
