//! The Python binding: converts arguments, releases the GIL around the engine, and hands the
//! tables to Python as Arrow PyCapsule-capable objects. No extraction logic lives here.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, Once, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use arrow_array::cast::AsArray;
use arrow_array::Array;
use pyo3::exceptions::{
    PyFileNotFoundError, PyOSError, PyPermissionError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::PyTable;

use crate::error::Error;
use crate::extract::{InMemoryText, Options};
use crate::loading::Format;
use crate::tables::schema;
use crate::{Progress, StopFlag};

pyo3::create_exception!(
    _core,
    CbmgError,
    pyo3::exceptions::PyException,
    "Base class of cbmg errors."
);
pyo3::create_exception!(
    _core,
    LexiconError,
    PyValueError,
    "A user lexicon file is malformed."
);

/// The one place engine errors become Python exceptions.
fn to_py_err(err: Error) -> PyErr {
    let message = err.to_string();
    match err {
        Error::NotFound(path) => PyFileNotFoundError::new_err((
            2,
            "No such file or directory",
            path.display().to_string(),
        )),
        Error::PermissionDenied(path) => {
            PyPermissionError::new_err((13, "Permission denied", path.display().to_string()))
        }
        // OSError(errno, strerror, filename) when the system gave an error number, as Python's
        // own file functions raise it.
        Error::Io { path, source } => os_error("cannot read", &path, &source, message),
        Error::Write { path, source } => os_error("cannot write", &path, &source, message),
        Error::InvalidLexicon { .. } => LexiconError::new_err(message),
        _ => CbmgError::new_err(message),
    }
}

fn os_error(
    doing: &str,
    path: &std::path::Path,
    source: &std::io::Error,
    message: String,
) -> PyErr {
    match source.raw_os_error() {
        Some(errno) => {
            let reason = source.to_string();
            let reason = reason
                .strip_suffix(&format!(" (os error {errno})"))
                .unwrap_or(&reason);
            PyOSError::new_err((
                errno,
                format!("{doing}: {reason}"),
                path.display().to_string(),
            ))
        }
        None => PyOSError::new_err(message),
    }
}

type PyTables = Vec<(String, PyTable)>;

fn to_py_tables(tables: crate::tables::Tables) -> PyResult<PyTables> {
    tables
        .tables
        .into_iter()
        .map(|(name, batch)| {
            let schema = batch.schema();
            Ok((name.to_string(), PyTable::try_new(vec![batch], schema)?))
        })
        .collect()
}

/// How often a running job lets Python handle the signals that arrived (Ctrl-C).
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Runs engine work without the GIL, on [`pool`]'s threads, once the warm-up has finished; a
/// panic that escaped the per-document guard becomes an exception rather than crossing into
/// Python.
///
/// While it runs, this thread wakes every [`SIGNAL_CHECK`] to run Python's signal handlers.
/// When one raises (Ctrl-C's `KeyboardInterrupt`), `stop` is set, the job ends at its next
/// document, and the handler's exception is raised here.
fn run_detached<T: Send>(
    py: Python<'_>,
    stop: Option<&StopFlag>,
    work: impl FnOnce() -> crate::Result<T> + Send,
) -> PyResult<T> {
    run_reporting(py, stop, None, work)
}

/// A progress callback and the counts it reports: `callback(done, total, bytes)` is called on
/// the waiting thread, with the GIL, every [`SIGNAL_CHECK`] while the job runs.
type Report<'a, 'py> = (&'a Progress, &'a Bound<'py, PyAny>);

/// [`run_detached`], reporting progress to `report` as it goes; an exception the callback
/// raises stops the job like Ctrl-C and is raised here.
fn run_reporting<T: Send>(
    py: Python<'_>,
    stop: Option<&StopFlag>,
    report: Option<Report<'_, '_>>,
    work: impl FnOnce() -> crate::Result<T> + Send,
) -> PyResult<T> {
    wait_for_warm_up(py);
    let pool = pool()?;
    type Outcome<T> = Option<std::thread::Result<crate::Result<T>>>;
    let outcome: (Mutex<Outcome<T>>, Condvar) = (Mutex::new(None), Condvar::new());
    let lock = || outcome.0.lock().unwrap_or_else(PoisonError::into_inner);
    let mut raised: Option<PyErr> = None;
    std::thread::scope(|scope| {
        let outcome = &outcome;
        let worker = scope.spawn(move || {
            let result =
                pool.install(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)));
            *lock() = Some(result);
            outcome.1.notify_all();
        });
        loop {
            let done = py.detach(|| {
                let guard = lock();
                let (guard, _) = outcome
                    .1
                    .wait_timeout_while(guard, SIGNAL_CHECK, |o| o.is_none())
                    .unwrap_or_else(PoisonError::into_inner);
                guard.is_some()
            });
            if done {
                break;
            }
            let reported = match report {
                Some((progress, callback)) => {
                    let r = progress.read();
                    callback.call1((r.done, r.total, r.bytes)).map(drop)
                }
                None => Ok(()),
            };
            if let Err(e) = py.check_signals().and(reported) {
                if let Some(stop) = stop {
                    stop.stop();
                }
                raised = Some(e);
                // The job's threads finish the documents they hold before the scope ends.
                py.detach(|| drop(worker.join()));
                break;
            }
        }
    });
    if let Some(e) = raised {
        return Err(e);
    }
    let outcome = lock().take();
    match outcome {
        Some(Ok(r)) => r.map_err(to_py_err),
        _ => Err(CbmgError::new_err(
            "internal error while loading; please report it",
        )),
    }
}

/// The thread pool of this process, made again in a forked child. Rayon's global pool survives
/// `os.fork` (multiprocessing's default on Linux) as bookkeeping without threads: a child of a
/// process that had loaded anything waited forever on its first load.
fn pool() -> PyResult<Arc<rayon::ThreadPool>> {
    static POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);
    let mut current = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    let pid = std::process::id();
    if let Some((owner, pool)) = current.as_ref() {
        if *owner == pid {
            return Ok(Arc::clone(pool));
        }
    }
    // The parent's pool: its threads are not in this process, so nothing may wait on them.
    std::mem::forget(current.take());
    // Sized like the global pool would be (RAYON_NUM_THREADS, else one thread per core).
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("cbmg-{i}"))
        .build()
        .map_err(|e| CbmgError::new_err(format!("cannot start worker threads: {e}")))?;
    let pool = Arc::new(pool);
    *current = Some((pid, Arc::clone(&pool)));
    Ok(pool)
}

/// Reads `paths` (files and folders) and returns `[(table_name, arrow_table), ...]`;
/// `progress(done, total, bytes)`, when given, is called as the load goes.
#[pyfunction]
#[pyo3(signature = (paths, lexicon = None, progress = None))]
fn load(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    lexicon: Option<PathBuf>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<PyTables> {
    run_job(py, lexicon, progress, |extractor| {
        extractor.extract_paths(&paths)
    })
}

/// Builds an extractor with `lexicon`, runs `job` on it without the GIL (reporting to
/// `progress` when given), and hands its tables to Python.
fn run_job(
    py: Python<'_>,
    lexicon: Option<PathBuf>,
    progress: Option<Bound<'_, PyAny>>,
    job: impl FnOnce(&crate::Extractor) -> crate::Result<crate::Corpus> + Send,
) -> PyResult<PyTables> {
    let options = Options { lexicon };
    let extractor = run_detached(py, None, || crate::Extractor::new(&options))?;
    let stop = extractor.stop_flag();
    let counts = extractor.progress();
    let report = progress.as_ref().map(|callback| (&counts, callback));
    let tables = run_reporting(py, Some(&stop), report, || {
        crate::tables::build(job(&extractor)?)
    })?;
    to_py_tables(tables)
}

/// Extracts texts held in memory: `texts` is any Arrow string array or stream (the Arrow
/// PyCapsule interface: a polars Series, a pyarrow array, ...), `ids` their ids in the same
/// order, `formats` one format name (`txt`, `md`, `html`) per text. A null text is an empty
/// one. Returns `[(table_name, arrow_table), ...]` with the documents in the order given.
#[pyfunction]
#[pyo3(signature = (texts, ids, formats, lexicon = None, progress = None))]
fn extract(
    py: Python<'_>,
    texts: AnyArray,
    ids: Vec<String>,
    formats: Vec<String>,
    lexicon: Option<PathBuf>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<PyTables> {
    let chunked = texts.into_chunked_array()?;
    let mut strings: Vec<String> = Vec::with_capacity(ids.len());
    for chunk in chunked.chunks() {
        push_strings(chunk.as_ref(), &mut strings)?;
    }
    if strings.len() != ids.len() || formats.len() != ids.len() {
        return Err(PyValueError::new_err(format!(
            "{} texts, {} ids and {} formats: one of each per text",
            strings.len(),
            ids.len(),
            formats.len()
        )));
    }
    let mut inputs = Vec::with_capacity(ids.len());
    for ((text, doc_id), format) in strings.into_iter().zip(ids).zip(formats) {
        let format = Format::from_name(&format).ok_or_else(|| {
            PyValueError::new_err(format!(
                "format {format:?} for {doc_id:?}: use txt, md or html"
            ))
        })?;
        inputs.push(InMemoryText {
            doc_id,
            text,
            format,
        });
    }
    run_job(py, lexicon, progress, |extractor| {
        extractor.extract_texts(inputs)
    })
}

/// Appends the strings of an Arrow string array (`utf8`, `large_utf8` or `utf8_view`); a null
/// is an empty string.
fn push_strings(array: &dyn Array, out: &mut Vec<String>) -> PyResult<()> {
    fn push<'a>(values: impl Iterator<Item = Option<&'a str>>, out: &mut Vec<String>) {
        out.extend(values.map(|v| v.unwrap_or_default().to_string()));
    }
    if let Some(a) = array.as_string_opt::<i32>() {
        push(a.iter(), out);
    } else if let Some(a) = array.as_string_opt::<i64>() {
        push(a.iter(), out);
    } else if let Some(a) = array.as_string_view_opt() {
        push(a.iter(), out);
    } else {
        return Err(PyTypeError::new_err(format!(
            "texts must be strings, not Arrow {}",
            array.data_type()
        )));
    }
    Ok(())
}

/// The background warm-up `import cbmg` starts (`crate::extract::warm_up`), until someone waits.
static WARM_UP: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);
static WARM_UP_STARTED: Once = Once::new();

/// Starts building the rules and the word automaton in the background, once per process, unless
/// `CBMG_NO_WARM_UP` is set (to anything but an empty string).
fn start_warm_up() {
    if std::env::var_os("CBMG_NO_WARM_UP").is_some_and(|v| !v.is_empty()) {
        return;
    }
    WARM_UP_STARTED.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("cbmg-warm-up".to_string())
            .spawn(crate::extract::warm_up);
        // Without a thread the first load builds everything itself, as it always could.
        if let Ok(handle) = spawned {
            *WARM_UP.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
        }
    });
}

/// Waits for the warm-up to finish: before `os.fork`, so no child inherits a half-built rule
/// whose builder thread it does not have, and before a load, which would otherwise build the
/// same rules beside it on the same cores and wait for them anyway.
#[pyfunction]
fn wait_for_warm_up(py: Python<'_>) {
    let handle = WARM_UP
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(handle) = handle {
        // A panic in the warm-up would recur, with a clear error, in the load that needs it.
        py.detach(|| drop(handle.join()));
    }
}

/// A load in batches: iterating yields `[(table_name, arrow_table), ...]` per batch of files.
#[pyclass(module = "cbmg._core")]
struct Scanner {
    scan: crate::Scan,
    stop: StopFlag,
    progress: Progress,
    /// `callback(done, total, bytes)` for every batch's progress, when given.
    report: Option<Py<PyAny>>,
}

#[pymethods]
impl Scanner {
    #[new]
    #[pyo3(signature = (paths, batch_size, lexicon = None, progress = None))]
    fn new(
        py: Python<'_>,
        paths: Vec<PathBuf>,
        batch_size: usize,
        lexicon: Option<PathBuf>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Scanner> {
        let options = Options { lexicon };
        let extractor = run_detached(py, None, || crate::Extractor::new(&options))?;
        let stop = extractor.stop_flag();
        let counts = extractor.progress();
        let scan = run_detached(py, Some(&stop), || extractor.scan(&paths, batch_size))?;
        Ok(Scanner {
            scan,
            stop,
            progress: counts,
            report: progress,
        })
    }

    /// Files read so far, of [`Scanner::total_files`].
    #[getter]
    fn files_done(&self) -> usize {
        self.progress.read().done
    }

    /// How many files the scan reads in all.
    #[getter]
    fn total_files(&self) -> usize {
        self.scan.total_files()
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<PyTables>> {
        let scan = &mut self.scan;
        let callback = self.report.as_ref().map(|c| c.bind(py).clone());
        let report = callback.as_ref().map(|c| (&self.progress, c));
        let batch = run_reporting(py, Some(&self.stop), report, || {
            scan.next()
                .map(|corpus| crate::tables::build(corpus?))
                .transpose()
        })?;
        batch.map(to_py_tables).transpose()
    }

    /// Writes every remaining batch to `out/<table>.parquet` (only `tables` when given), one
    /// row group per batch; returns (documents, skipped) written.
    #[pyo3(signature = (out, tables = Vec::new()))]
    fn write_parquet(
        &mut self,
        py: Python<'_>,
        out: PathBuf,
        tables: Vec<String>,
    ) -> PyResult<(usize, usize)> {
        let scan = &mut self.scan;
        let callback = self.report.as_ref().map(|c| c.bind(py).clone());
        let report = callback.as_ref().map(|c| (&self.progress, c));
        run_reporting(py, Some(&self.stop), report, || {
            let written = crate::tables::parquet::ParquetSink::create(&out, &tables)?
                .write_all(scan.by_ref())?;
            Ok((written.documents, written.skipped))
        })
    }
}

/// A column as Python sees the schema: (name, Arrow type, nullable).
type ColumnSpec = (String, String, bool);

/// `[(table, [(column, arrow type, nullable), ...])]`: the schema as the engine defines it.
#[pyfunction]
fn schemas() -> Vec<(String, Vec<ColumnSpec>)> {
    schema::all()
        .into_iter()
        .map(|(name, s)| {
            let cols = s
                .fields()
                .iter()
                .map(|f| (f.name().clone(), f.data_type().to_string(), f.is_nullable()))
                .collect();
            (name.to_string(), cols)
        })
        .collect()
}

/// A rule as `python -m cbmg rules` lists it: (table, family, name, kind, examples, rejects).
type RuleSpec = (String, String, String, String, usize, usize);

/// Every rule of `rules/*.toml`, in file order.
#[pyfunction]
fn rules() -> Vec<RuleSpec> {
    crate::rule_examples::list()
        .into_iter()
        .map(|r| {
            (
                r.table.to_string(),
                r.family.to_string(),
                r.name.to_string(),
                r.kind.to_string(),
                r.examples,
                r.rejects,
            )
        })
        .collect()
}

/// Runs every rule's examples through the engine: `[(table, rule, text, problem)]` for each one
/// that does not hold.
#[pyfunction]
fn check_rules(py: Python<'_>) -> Vec<(String, String, String, String)> {
    py.detach(|| {
        crate::rule_examples::check()
            .into_iter()
            .map(|f| (f.table.to_string(), f.rule.to_string(), f.text, f.problem))
            .collect()
    })
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // As early as possible: the rest of `import cbmg` (pathlib, typing, the Python layer) takes
    // longer than this module's own loading, and the build runs beside it on the other core.
    start_warm_up();
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(schemas, m)?)?;
    m.add_function(wrap_pyfunction!(wait_for_warm_up, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_function(wrap_pyfunction!(check_rules, m)?)?;
    m.add_class::<Scanner>()?;
    m.add("CbmgError", m.py().get_type::<CbmgError>())?;
    m.add("LexiconError", m.py().get_type::<LexiconError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
