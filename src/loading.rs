//! Stage 1: finding the files to read and turning their bytes into text.
//!
//! A file that cannot be used becomes a [`Skipped`] row with a reason; only a path the user named
//! that does not exist is an error, because that is a mistake in the call rather than in the data.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::stop::StopFlag;

mod read_ahead;
pub use read_ahead::ReadAhead;

/// Files larger than this are skipped as `too_large`: no press release comes near it, and a
/// multi-gigabyte log dropped in the folder must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file found under one of the inputs, with the id it will carry in every table.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub doc_id: String,
}

/// The kind of text a file holds, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::from_path_text(&path.to_string_lossy())
    }

    /// [`Format::from_path`] of a path's text, which the read has already made. A path that is
    /// not UTF-8 decides the same way: an extension with a byte the lossy text replaced names no
    /// format either way.
    fn from_path_text(path: &str) -> Option<Format> {
        // A name that is only an extension (`.md`, as two releases of the archive are named)
        // is a file of that format with no name: its id keeps the whole name.
        let name = &path[name_start(path.as_bytes())..];
        let extension = name.rfind('.').map_or("", |dot| &name[dot + 1..]);
        Format::from_name(extension)
    }

    /// The format a name or extension stands for (`txt`, `md`, `html`, in any case).
    pub fn from_name(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// A file read and decoded.
#[derive(Debug, Clone)]
pub struct RawDocument {
    pub doc_id: String,
    pub path: String,
    pub format: Format,
    pub encoding: &'static str,
    pub text: String,
    /// Where the markup says the headline is (an HTML `<h1>`), as a byte range of `text`.
    pub headline: Option<(usize, usize)>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: &'static str,
    pub detail: Option<String>,
}

/// Expands the user's inputs (files and folders) into the files to read, in a stable order.
///
/// Folders are walked recursively; hidden files and folders (a leading dot) are passed over, as
/// every file manager does. Each doc_id is the path relative to the folder it was found in,
/// without extension, using `/` whatever the platform.
pub fn discover(inputs: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<Skipped>)> {
    discover_telling(inputs, &Found::counting(), &StopFlag::default())
}

/// What a walk has found so far, told as it goes to threads that get the job ready meanwhile.
#[derive(Debug)]
pub struct Found {
    state: Mutex<FoundState>,
    /// Signalled when a path is queued for a taker that may be waiting, every
    /// [`Found::WAKE_EVERY`] files for a thread waiting for a count, and when the walk is over.
    changed: Condvar,
    /// Whether the paths are kept for [`Found::next_while_walking`].
    queueing: bool,
}

#[derive(Debug, Default)]
struct FoundState {
    count: usize,
    /// The paths found and not yet taken, in the order found; kept only when queueing.
    queue: VecDeque<PathBuf>,
    walked: bool,
}

impl Found {
    /// How often a thread waiting for a count is woken to look at it.
    const WAKE_EVERY: usize = 32;

    /// Counts the files found, so that another thread can prepare for a job of that size.
    pub fn counting() -> Found {
        Found {
            state: Mutex::new(FoundState::default()),
            changed: Condvar::new(),
            queueing: false,
        }
    }

    /// Counts the files found and keeps their paths for [`Found::next_while_walking`], so that
    /// other threads can start on them before the walk is over.
    pub fn queueing() -> Found {
        Found {
            queueing: true,
            ..Found::counting()
        }
    }

    /// How many files the walk has found so far.
    pub fn count(&self) -> usize {
        self.lock().count
    }

    /// Waits until the walk has found `n` files or is over; the count then.
    pub fn wait_for_count(&self, n: usize) -> usize {
        let state = self.lock();
        let state = self
            .changed
            .wait_while(state, |s| s.count < n && !s.walked)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.count
    }

    /// The earliest found path no one has taken yet, waiting for the walk to find one; `None`
    /// once the walk is over (the paths left are the job's). Every path found is still in the
    /// walk's result: taking one only says someone started on it.
    pub fn next_while_walking(&self) -> Option<PathBuf> {
        let state = self.lock();
        let mut state = self
            .changed
            .wait_while(state, |s| s.queue.is_empty() && !s.walked)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.walked {
            return None;
        }
        state.queue.pop_front()
    }

    /// Says the walk is over: every waiting thread goes on.
    pub fn walk_over(&self) {
        self.lock().walked = true;
        self.changed.notify_all();
    }

    /// How many found paths wait to be taken.
    #[cfg(test)]
    pub(crate) fn queued(&self) -> usize {
        self.lock().queue.len()
    }

    fn add(&self, path: &Path) {
        let mut state = self.lock();
        let was_empty = state.queue.is_empty();
        if self.queueing {
            state.queue.push_back(path.to_path_buf());
        }
        state.count += 1;
        // Waking costs a system call; a taker waits only on an empty queue.
        let wake = (self.queueing && was_empty) || state.count % Found::WAKE_EVERY == 0;
        drop(state);
        if wake {
            self.changed.notify_all();
        }
    }

    /// The state, locked. A poisoned lock only means a taker panicked; the state is whole.
    fn lock(&self) -> MutexGuard<'_, FoundState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// [`discover`], telling `found` of each file as it is found; ends with [`Error::Stopped`]
/// once `stop` is set.
pub fn discover_telling(
    inputs: &[PathBuf],
    found: &Found,
    stop: &StopFlag,
) -> Result<(Vec<SourceFile>, Vec<Skipped>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::from_io(input, e))?;
        if meta.is_dir() {
            walk_folder(input, &mut files, &mut skipped, found, stop)?;
        } else if !meta.is_file() {
            skipped.push(not_a_file(input, &meta.file_type()));
        } else {
            let stem = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.add(input);
            files.push(SourceFile {
                path: input.clone(),
                doc_id: stem,
            });
        }
    }
    make_ids_unique(&mut files);
    files.sort_by(|a, b| a.doc_id.cmp(&b.doc_id).then_with(|| a.path.cmp(&b.path)));
    Ok((files, skipped))
}

fn walk_folder(
    root: &Path,
    files: &mut Vec<SourceFile>,
    skipped: &mut Vec<Skipped>,
    found: &Found,
    stop: &StopFlag,
) -> Result<()> {
    let first = files.len();
    let mut hidden_folders: Vec<Skipped> = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            // A hidden folder (`.git`, `.ipynb_checkpoints`) holds no releases: it is not
            // walked, and says so in `skipped`. Hidden files are read like any other.
            let walk = e.depth() == 0 || !e.file_type().is_dir() || !is_hidden(e.path());
            if !walk {
                hidden_folders.push(Skipped {
                    path: e.path().display().to_string(),
                    reason: "hidden_folder",
                    detail: Some("a folder whose name starts with a dot is not walked".into()),
                });
            }
            walk
        });
    for entry in walker {
        stop.check()?;
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                if e.depth() == 0 {
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot walk folder"));
                    return Err(Error::from_io(root, io));
                }
                skipped.push(Skipped {
                    path,
                    reason: "unreadable",
                    detail: Some(e.to_string()),
                });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            skipped.push(not_a_file(entry.path(), &entry.file_type()));
            continue;
        }
        let id = doc_id(root, entry.path());
        found.add(entry.path());
        files.push(SourceFile {
            path: entry.path().to_path_buf(),
            doc_id: id,
        });
    }
    // A stable order, which decides which of two clashing ids keeps its name: the order of a
    // depth-first walk of folders sorted by name. walkdir's `sort_by_file_name` gave it by taking
    // the file name out of each path at every comparison, 1.4% of an archive load's
    // instructions, on the one thread that walks before any file can be read; comparing paths
    // (`Path::cmp`, component by component) cost more still.
    files[first..].sort_by_cached_key(|f| walk_order_key(&f.path));
    skipped.append(&mut hidden_folders);
    Ok(())
}

/// The row for a path that is neither a folder nor a regular file: a FIFO or a device would
/// block a read or never end, so it is never opened.
fn not_a_file(path: &Path, kind: &std::fs::FileType) -> Skipped {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a named pipe (FIFO)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = kind;
        "not a regular file"
    };
    Skipped {
        path: path.display().to_string(),
        reason: "not_a_file",
        detail: Some(format!("{what}: only regular files are read")),
    }
}

/// A file or folder whose name has a leading dot: hidden, as file managers take it. Read off
/// the path's bytes: walkdir's `file_name` parses the path's components for every entry.
fn is_hidden(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.get(name_start(bytes)) == Some(&b'.')
}

fn is_separator(c: char) -> bool {
    c == '/' || c == std::path::MAIN_SEPARATOR
}

/// Where the last component of a path's bytes starts: after its last separator. memchr's search
/// back, as file names run ~100 bytes (a char-wise `rfind` was 0.4% of a load).
fn name_start(path: &[u8]) -> usize {
    memchr::memrchr2(b'/', std::path::MAIN_SEPARATOR as u8, path).map_or(0, |i| i + 1)
}

/// `path` without its extension, and the extension ("" for none), as `Path` splits a file's
/// name: at its last dot, unless that dot begins the name. Splitting the text costs a fraction
/// of `Path::extension` and `with_extension`, which parse the path's components (with the rest
/// of the per-file path handling, ~1.5% of a load of the archive). Only a path that ends in a
/// separator, a folder's, is split otherwise.
fn split_extension(path: &str) -> (&str, &str) {
    let name_start = name_start(path.as_bytes());
    match memchr::memrchr(b'.', &path.as_bytes()[name_start..]) {
        Some(dot) if dot > 0 => (&path[..name_start + dot], &path[name_start + dot + 1..]),
        _ => (path, ""),
    }
}

/// The id of a file found under `root`: its path under `root` without the extension, with `/`
/// between folders (`2024/q3/acme`).
fn doc_id(root: &Path, path: &Path) -> String {
    let id = match (root.to_str(), path.to_str()) {
        (Some(root), Some(path)) => match path.strip_prefix(root) {
            // The walk joins names to `root`, so its paths begin with `root`'s text.
            Some(rel)
                if rel.is_empty()
                    || root.ends_with(is_separator)
                    || rel.starts_with(is_separator) =>
            {
                split_extension(rel.trim_start_matches(is_separator))
                    .0
                    .to_owned()
            }
            _ => doc_id_of_components(root.as_ref(), path.as_ref()),
        },
        _ => doc_id_of_components(root, path),
    };
    if std::path::MAIN_SEPARATOR == '/' {
        id
    } else {
        id.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// [`doc_id`] by `Path`'s own operations, for a path that is not UTF-8 or not written under
/// `root`'s text.
fn doc_id_of_components(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.with_extension("").to_string_lossy().into_owned()
}

/// A key whose byte order is the order of a walk of sorted folders: the path's bytes with each
/// separator made the lowest byte, so that a name sorts after the names it begins
/// (`a/b.txt` before `a.txt`, as the folder `a` comes before the file `a.txt`).
fn walk_order_key(path: &Path) -> Vec<u8> {
    let separator = |b: u8| b == b'/' || b == std::path::MAIN_SEPARATOR as u8;
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| if separator(b) { 0 } else { b })
        .collect()
}

/// Two inputs can yield the same id (`a/x.txt` and `b/x.txt` given as files, or `x.txt` beside
/// `x.md`); after the first, each gets its extension and its rank among them (`x~md2`), or a
/// higher rank while that id is another file's (`x~md2.txt` beside them).
fn make_ids_unique(files: &mut [SourceFile]) {
    // The clashing ids, found by sorting borrowed ids: most loads have none, and this costs a
    // fifth of counting every id in a map of owned copies (2 ms instead of 10 on the archive).
    let mut ids: Vec<&str> = files.iter().map(|f| f.doc_id.as_str()).collect();
    ids.sort_unstable();
    let clashing: HashSet<String> = ids
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0].to_owned())
        .collect();
    if clashing.is_empty() {
        return;
    }
    let mut taken: HashSet<String> = files.iter().map(|f| f.doc_id.clone()).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in files.iter_mut() {
        if clashing.contains(&f.doc_id) {
            let n = seen.entry(f.doc_id.clone()).or_default();
            *n += 1;
            if *n > 1 {
                let ext = f
                    .path
                    .extension()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut id = format!("{}~{}{}", f.doc_id, ext, n);
                while taken.contains(&id) {
                    *n += 1;
                    id = format!("{}~{}{}", f.doc_id, ext, n);
                }
                taken.insert(id.clone());
                f.doc_id = id;
            }
        }
    }
}

/// Everything `reader` holds, which was `size` bytes a moment ago, and at most
/// [`MAX_FILE_BYTES`] + 1 bytes.
///
/// Read up to the known size and one byte more, through `take`: a `File`'s own `read_to_end`
/// asks for the size again (a `statx` and a `seek`, 2 of its 7 system calls per file). A file
/// that grew since its size was read is read on, to just past the limit.
fn read_sized(reader: &mut impl std::io::Read, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(size as usize + 1);
    reader.by_ref().take(size + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > size {
        reader
            .by_ref()
            .take((MAX_FILE_BYTES + 1).saturating_sub(bytes.len() as u64))
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Reads one file; every failure is a [`Skipped`] row, never an error.
pub fn read_document(file: &SourceFile) -> std::result::Result<RawDocument, Skipped> {
    read_document_timed(file, |_, _| {})
}

/// [`read_document`], telling `io_took` how long opening and reading the file took and how many
/// bytes it held (decoding and markup are not timed).
pub fn read_document_timed(
    file: &SourceFile,
    io_took: impl FnOnce(std::time::Duration, u64),
) -> std::result::Result<RawDocument, Skipped> {
    let io_started = std::time::Instant::now();
    // What `display` shows, without going through the formatter (0.3% of a load's instructions);
    // `to_str` first, whose check of the text is many times faster than the lossy conversion's
    // (0.7% of a load's time in profiles).
    let path_str = match file.path.to_str() {
        Some(text) => text.to_owned(),
        None => file.path.to_string_lossy().into_owned(),
    };
    let skip = |reason: &'static str, detail: Option<String>| Skipped {
        path: path_str.clone(),
        reason,
        detail,
    };
    let Some(format) = Format::from_path_text(&path_str) else {
        let ext = file
            .path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_else(|| "no extension".to_string());
        return Err(skip(
            "unsupported_format",
            Some(format!("{ext}: cbmg reads .txt, .md and .html")),
        ));
    };
    // One open for the size check and the read: a stat by path per file showed in profiles.
    let unreadable = |e: std::io::Error| skip("unreadable", Some(e.to_string()));
    let mut handle = std::fs::File::open(&file.path).map_err(unreadable)?;
    let size = handle.metadata().map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(skip(
            "too_large",
            Some(format!("{size} bytes; the limit is {MAX_FILE_BYTES}")),
        ));
    }
    let bytes = read_sized(&mut handle, size).map_err(unreadable)?;
    io_took(io_started.elapsed(), bytes.len() as u64);
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(skip(
            "too_large",
            Some(format!("more than {MAX_FILE_BYTES} bytes, the limit")),
        ));
    }
    document_from_bytes(file.doc_id.clone(), path_str, format, bytes)
}

/// A file's bytes as the document the engine reads: decoded, its markup removed. What a load
/// does once it has the bytes, for a fuzzer or a caller that has them from elsewhere.
pub fn document_from_bytes(
    doc_id: String,
    path: String,
    format: Format,
    bytes: Vec<u8>,
) -> std::result::Result<RawDocument, Skipped> {
    let skip = |reason: &'static str, detail: Option<String>| Skipped {
        path: path.clone(),
        reason,
        detail,
    };
    let (text, encoding) = decode(bytes).map_err(|why| skip("binary", Some(why.to_string())))?;
    if text.trim().is_empty() {
        return Err(skip("empty", None));
    }
    let (text, headline) = match format {
        Format::Html => crate::text::html::html_to_text(&text),
        Format::Text | Format::Markdown => (text, None),
    };
    if text.trim().is_empty() {
        return Err(skip(
            "empty",
            Some("no text after removing the markup".into()),
        ));
    }
    Ok(RawDocument {
        doc_id,
        path,
        format,
        encoding,
        text,
        headline,
    })
}

/// Decodes bytes as UTF-8 (a BOM is dropped), UTF-16 with a BOM, or windows-1252 for bytes that
/// are not UTF-8. Refuses binary data: NUL bytes or a high share of control characters.
pub fn decode(bytes: Vec<u8>) -> std::result::Result<(String, &'static str), &'static str> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && enc != encoding_rs::UTF_8 {
            return Err("undecodable bytes after a byte-order mark");
        }
        let name = match enc.name() {
            "UTF-8" => "utf-8",
            "UTF-16LE" => "utf-16le",
            "UTF-16BE" => "utf-16be",
            _ => "utf-8",
        };
        let text = text.into_owned();
        if looks_binary(text.as_bytes()) {
            return Err("control characters: not a text file");
        }
        return Ok((text, name));
    }
    if looks_binary(&bytes) {
        return Err("NUL or control bytes: not a text file");
    }
    // UTF-8 is taken as it is, without a copy.
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, "utf-8")),
        Err(not_utf8) => not_utf8.into_bytes(),
    };
    // A UTF-8 file with a few bad bytes (a pasted fragment, a cut-off character) is still
    // UTF-8: read as windows-1252, every accent and dash of it would turn to mojibake. Text in
    // windows-1252 almost never forms a valid UTF-8 sequence, so the sequences tell them apart.
    let (valid, invalid) = utf8_sequences(&bytes);
    if valid > invalid {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return Ok((text, "utf-8-replaced"));
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    Ok((text.into_owned(), "windows-1252"))
}

/// How many valid multi-byte UTF-8 characters `bytes` holds, and how many invalid sequences.
fn utf8_sequences(bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (valid, invalid)
}

#[cfg(test)]
mod decode_tests {
    use super::*;

    /// Three bad bytes in a UTF-8 release used to make the whole of it windows-1252 mojibake.
    #[test]
    fn mostly_utf8_stays_utf8_with_the_bad_bytes_replaced() {
        let mut bytes = "Acme \u{2014} Zürich café: net loss of €3 million"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b" \xff\xfe and \xc3");
        let (text, encoding) = decode(bytes).unwrap();
        assert_eq!(encoding, "utf-8-replaced");
        assert!(text.starts_with("Acme \u{2014} Zürich café: net loss of €3 million"));
        assert_eq!(text.matches('\u{fffd}').count(), 3, "{text}");
    }

    #[test]
    fn windows_1252_stays_windows_1252() {
        let bytes = b"Acme \x97 Z\xfcrich caf\xe9: net loss of \x803 million".to_vec();
        let (text, encoding) = decode(bytes).unwrap();
        assert_eq!(encoding, "windows-1252");
        assert_eq!(text, "Acme \u{2014} Zürich café: net loss of €3 million");
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    // Counted in byte-wide lanes, so the count compiles to vector code (the plain
    // filter-and-count was 1% of loading the archive corpus): 224 bytes at a time, seven of the
    // vector loop's 32-byte steps, where 255 left 31 bytes to a scalar loop that doubled the cost.
    let control: usize = head
        .chunks(224)
        .map(|chunk| {
            chunk.iter().fold(0u8, |n, &b| {
                let is_control = b < 0x20 && b != b'\n' && b != b'\r' && b != b'\t' && b != 0x0c;
                n + u8::from(is_control)
            }) as usize
        })
        .sum();
    control * 20 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(specs: &[(&str, &str)]) -> Vec<SourceFile> {
        specs
            .iter()
            .map(|(path, id)| SourceFile {
                path: PathBuf::from(path),
                doc_id: id.to_string(),
            })
            .collect()
    }

    fn ids(files: &[SourceFile]) -> Vec<&str> {
        files.iter().map(|f| f.doc_id.as_str()).collect()
    }

    /// A file read at its known size, shorter than it, and grown past it since.
    #[test]
    fn sized_reads_take_what_the_file_holds() {
        let text = b"Net loss was $3 million.";
        for size in [0, 5, text.len() as u64, 100] {
            let got = read_sized(&mut std::io::Cursor::new(text), size).unwrap();
            assert_eq!(got, text, "size {size}");
        }
        let grown = vec![b'x'; MAX_FILE_BYTES as usize + 10];
        let got = read_sized(&mut std::io::Cursor::new(&grown), 3).unwrap();
        assert_eq!(got.len() as u64, MAX_FILE_BYTES + 1);
    }

    /// The walk's files come in the order of a walk of folders sorted by name, the order that
    /// picks which of two clashing ids keeps its name; names are chosen so that comparing whole
    /// paths byte by byte would differ (`a.txt` < `a/b.txt` by bytes, `.` being below `/`).
    #[test]
    fn walked_files_come_in_the_order_of_a_walk_of_sorted_folders() {
        let root = std::env::temp_dir().join(format!("cbmg-walk-order-{}", std::process::id()));
        let names = [
            "a/b.txt",
            "a.txt",
            "a-b/c.txt",
            "a/b/c.md",
            "a b.txt",
            "b.md",
            "b.txt",
            "B.txt",
            "b/x.txt",
            "é.txt",
            "z/y/x/w.txt",
            "z.md",
            "0.txt",
            ".hidden/x.txt",
            "a/.h.txt",
        ];
        for name in names {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let mut walked = Vec::new();
        let mut skipped = Vec::new();
        walk_folder(
            &root,
            &mut walked,
            &mut skipped,
            &Found::counting(),
            &StopFlag::default(),
        )
        .unwrap();
        let sorted_walk: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || !e.file_name().to_string_lossy().starts_with('.')
            })
            .filter_map(|e| e.ok().filter(|e| e.file_type().is_file()))
            .map(|e| e.into_path())
            .collect();
        std::fs::remove_dir_all(&root).unwrap();
        let got: Vec<&Path> = walked.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(
            got,
            sorted_walk.iter().map(PathBuf::as_path).collect::<Vec<_>>()
        );
        assert_eq!(
            got.len(),
            names.len() - 1,
            "hidden files are read, hidden folders not"
        );
        let hidden: Vec<(&str, &str)> = skipped
            .iter()
            .map(|s| (&s.path[root.to_string_lossy().len()..], s.reason))
            .collect();
        assert_eq!(hidden, [("/.hidden", "hidden_folder")]);
        // The folder `b` comes before `b.md`, which keeps its id; `b.txt` is the second `b`.
        make_ids_unique(&mut walked);
        let b: Vec<&str> = ids(&walked)
            .into_iter()
            .filter(|id| id.starts_with('b'))
            .collect();
        assert_eq!(b, ["b/x", "b", "b~txt2"]);
    }

    #[test]
    fn clashing_ids_after_the_first_get_their_extension_and_rank() {
        let mut found = files(&[
            ("a/x.txt", "x"),
            ("b/y.txt", "y"),
            ("b/x.md", "x"),
            ("c/x.html", "x"),
        ]);
        make_ids_unique(&mut found);
        assert_eq!(ids(&found), ["x", "y", "x~md2", "x~html3"]);
    }

    /// `x~md2.txt` beside `x.txt` and `x.md`: the second `x` may not take the id of the third
    /// file.
    #[test]
    fn a_clashing_id_never_becomes_another_files_id() {
        let mut found = files(&[("x.txt", "x"), ("x~md2.txt", "x~md2"), ("x.md", "x")]);
        make_ids_unique(&mut found);
        assert_eq!(ids(&found), ["x", "x~md2", "x~md3"]);
    }

    #[test]
    fn ids_without_a_clash_are_left_alone() {
        let mut found = files(&[("a/x.txt", "x"), ("a/y.txt", "y"), ("b/x2.txt", "b/x2")]);
        make_ids_unique(&mut found);
        assert_eq!(ids(&found), ["x", "y", "b/x2"]);
    }

    #[test]
    fn utf8_is_read_as_is_and_bom_dropped() {
        assert_eq!(
            decode(b"abc".to_vec()).unwrap(),
            ("abc".to_string(), "utf-8")
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc".to_vec()).unwrap(),
            ("abc".to_string(), "utf-8")
        );
    }

    #[test]
    fn windows_1252_fallback_keeps_curly_quotes() {
        let (text, enc) = decode(b"\x93CBMG\x94 \x96 $15.9 million".to_vec()).unwrap();
        assert_eq!(enc, "windows-1252");
        assert_eq!(text, "\u{201c}CBMG\u{201d} \u{2013} $15.9 million");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Phase 1".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(bytes).unwrap(), ("Phase 1".to_string(), "utf-16le"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).is_err());
        assert!(decode(vec![1u8, 2, 3, 4, 5, 6, 7, 8]).is_err());
    }

    /// The share of control bytes decides, over the first 8 KiB, with line breaks, tabs and
    /// form feeds not counted; the threshold is one byte in twenty.
    #[test]
    fn control_bytes_are_counted_over_the_head() {
        let text_with = |control: usize, len: usize| {
            let mut bytes = b"Phase 2 trial\r\n\t\x0c".repeat(len / 17 + 1);
            bytes.truncate(len - control);
            bytes.extend(std::iter::repeat_n(0x07u8, control));
            bytes
        };
        // 600 bytes (several 255-byte lanes): 30 control bytes is at the threshold, 31 over it.
        assert!(!looks_binary(&text_with(30, 600)));
        assert!(looks_binary(&text_with(31, 600)));
        // Bytes past the first 8 KiB are not looked at.
        let mut long = text_with(0, 8192);
        long.extend([0x07u8; 4000]);
        assert!(!looks_binary(&long));
        assert!(looks_binary(&text_with(500, 8192)));
    }

    #[test]
    fn extension_decides_format() {
        assert_eq!(Format::from_path(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(
            Format::from_path(Path::new("a/b.md")),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_path(Path::new("a/b.htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("a/b.pdf")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
        // A name that is only an extension; a hidden file of another kind is no release.
        assert_eq!(
            Format::from_path(Path::new("a/.md")),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_path(Path::new("a/.DS_Store")), None);
    }

    /// The text's split agrees with `Path`'s on every file name a walk can find, and the ids
    /// with `strip_prefix` and `with_extension`, however the root is written.
    #[test]
    fn paths_split_as_path_splits_them() {
        let names = [
            "x.txt",
            "x.TXT",
            "x.tar.gz",
            "x.",
            "noext",
            "a.b.c.md",
            "sub/y.md",
            "sub/.z.txt",
            "sub.d/w",
            "sub.d/v.html",
            "é/ü.txt",
            "two  spaces.md",
        ];
        for name in names {
            let path = Path::new(name);
            let (stem, ext) = split_extension(name);
            assert_eq!(
                Some(ext),
                path.extension().map_or(Some(""), |e| e.to_str()),
                "{name}"
            );
            assert_eq!(Path::new(stem), path.with_extension(""), "{name}");
            assert_eq!(
                is_hidden(path),
                name.rsplit('/').next().unwrap().starts_with('.')
            );
        }
        for root in [
            "seeds",
            "seeds/",
            "./seeds",
            "seeds/.",
            "/tmp/a b/c",
            "../up",
            "/",
        ] {
            let root = Path::new(root);
            for name in names {
                let path = root.join(name);
                assert_eq!(
                    doc_id(root, &path),
                    doc_id_of_components(root, &path),
                    "{} {name}",
                    root.display()
                );
            }
        }
        assert_eq!(
            doc_id(Path::new("seeds/"), Path::new("seeds/sub/y.md")),
            "sub/y"
        );
    }
}
