//! File input and output with the guarantees the CLI promises: inputs are
//! regular files of bounded size (a FIFO, a directory or a device is a coded
//! error, never a read that blocks forever or never ends), and rewritten
//! files are replaced atomically (a failed write leaves the original whole).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::diag::{Diag, code};
use crate::syntax::ast::Span;

/// The largest `.guize` or `.json` file read (64 MiB: the largest shipped
/// ruleset is under 100 KB; a year of a county's scenario is a few MB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// What kind of thing a path names, in words, when it is not a regular file.
fn not_a_file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "目录";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "命名管道（FIFO）";
        }
        if t.is_socket() {
            return "套接字";
        }
        if t.is_block_device() || t.is_char_device() {
            return "设备文件";
        }
    }
    "特殊文件"
}

fn read_error(name: &str, e: &io::Error) -> Diag {
    Diag::error(
        code::IO_READ,
        Span::default(),
        format!("无法读取文件 {name}：{e}"),
    )
    .help("检查路径是否正确、文件是否存在且可读")
}

/// Open `path` for reading if it is a regular file (symbolic links are
/// followed); anything else is a coded error before any read can block.
pub fn open_regular(path: &Path) -> Result<(File, u64), Diag> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| read_error(&name, &e))?;
    if !meta.file_type().is_file() {
        return Err(Diag::error(
            code::IO_NOT_FILE,
            Span::default(),
            format!("{name} 是{}，不是普通文件", not_a_file_kind(&meta)),
        )
        .help("请给出一个普通文件（目录只用于 guize test、guize fmt 与 --tests、--suites）"));
    }
    let file = File::open(path).map_err(|e| read_error(&name, &e))?;
    // Checked again on the open file: the path may have changed in between.
    let meta = file.metadata().map_err(|e| read_error(&name, &e))?;
    if !meta.file_type().is_file() {
        return Err(Diag::error(
            code::IO_NOT_FILE,
            Span::default(),
            format!("{name} 是{}，不是普通文件", not_a_file_kind(&meta)),
        )
        .help("请给出一个普通文件"));
    }
    Ok((file, meta.len()))
}

fn too_large(name: &str, limit: u64) -> Diag {
    Diag::error(
        code::IO_TOO_LARGE,
        Span::default(),
        format!("文件 {name} 超过 {} MiB 的上限", limit >> 20),
    )
    .help("规则集与情景文件不应这样大：检查是否给错了文件；大量事件请写成 JSON Lines 日志用 guize audit 审计")
}

/// Read a regular file whole, refusing files over `limit` bytes (checked
/// on the size and again while reading, for files that grow).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Diag> {
    let name = path.display().to_string();
    let (file, len) = open_regular(path)?;
    if len > limit {
        return Err(too_large(&name, limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(&name, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&name, limit));
    }
    Ok(bytes)
}

/// The file a path finally names, following symbolic links, so that
/// rewriting a link rewrites its target and keeps the link.
fn final_target(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    // A bounded number of hops: a link loop is left to fail on open.
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(t) if t.is_absolute() => p = t,
            Ok(t) => p = p.parent().map_or_else(|| t.clone(), |d| d.join(&t)),
            Err(_) => break,
        }
    }
    p
}

/// Replace the contents of `path` atomically: write a temporary file in the
/// same directory, flush it to disk, give it the original's permissions,
/// then rename it over the original. On any failure the temporary file is
/// removed and the original is untouched. A symbolic link is kept: its
/// target is replaced.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = final_target(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = target
        .file_name()
        .map_or_else(|| "guize".into(), |n| n.to_string_lossy().into_owned());
    let perms = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let (tmp_path, mut tmp) = create_temp(&dir, &base)?;
    let result = (|| {
        tmp.write_all(contents)?;
        tmp.sync_all()?;
        if let Some(p) = &perms {
            tmp.set_permissions(p.clone())?;
        }
        drop(tmp);
        std::fs::rename(&tmp_path, &target)?;
        // Make the rename itself durable; not every platform or file
        // system can sync a directory, and the data is safe either way.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    result
}

/// A new file `.NAME.guize-tmp-PID-N` in `dir`, created exclusively.
fn create_temp(dir: &Path, base: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = io::Error::other("无法创建临时文件");
    for n in 0..100u32 {
        let p = dir.join(format!(".{base}.guize-tmp-{pid}-{n}"));
        let mut o = OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            o.mode(0o600);
        }
        match o.open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// The coded error for a file that could not be written.
pub fn write_error(path: &Path, e: &io::Error) -> Diag {
    Diag::error(
        code::IO_WRITE,
        Span::default(),
        format!("无法写入 {}：{e}", path.display()),
    )
    .help("检查磁盘空间、目录的写权限与文件大小限制；原文件未被改动")
}

/// Write `text` to standard output and flush it, so that a failure (a full
/// disk, a closed pipe) is seen here rather than lost at exit.
pub fn write_stdout(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// What a failed write to standard output means: `None` for a closed pipe
/// (`guize … | head`: the reader has what it wanted; end quietly), else the
/// coded error to report.
pub fn stdout_failure(e: &io::Error) -> Option<Diag> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return None;
    }
    Some(
        Diag::error(
            code::IO_WRITE,
            Span::default(),
            format!("无法写出到标准输出：{e}"),
        )
        .help("输出不完整：检查重定向的目标（磁盘空间、写权限）后重新运行"),
    )
}

/// Write to standard error, ignoring failure: it is the last place left to
/// report anything (`eprintln!` would panic instead).
pub fn write_stderr(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}
