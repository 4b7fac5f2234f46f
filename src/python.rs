//! The Python binding: converts arguments, releases the GIL around the engine, and hands the
//! tables to Python as Arrow PyCapsule-capable objects. No extraction logic lives here.

use std::path::PathBuf;

use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyPermissionError, PyValueError};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use crate::error::Error;
use crate::extract::Options;
use crate::tables::schema;

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
        Error::Io { .. } => PyOSError::new_err(message),
        Error::InvalidLexicon { .. } => LexiconError::new_err(message),
        _ => CbmgError::new_err(message),
    }
}

/// Reads `paths` (files and folders) and returns `[(table_name, arrow_table), ...]`.
#[pyfunction]
#[pyo3(signature = (paths, lexicon = None))]
fn load(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    lexicon: Option<PathBuf>,
) -> PyResult<Vec<(String, PyTable)>> {
    let options = Options { lexicon };
    let result = py.detach(|| std::panic::catch_unwind(|| crate::load(&paths, &options)));
    let tables = match result {
        Ok(r) => r.map_err(to_py_err)?,
        Err(_) => {
            return Err(CbmgError::new_err(
                "internal error while loading; please report it",
            ))
        }
    };
    tables
        .tables
        .into_iter()
        .map(|(name, batch)| {
            let schema = batch.schema();
            Ok((name.to_string(), PyTable::try_new(vec![batch], schema)?))
        })
        .collect()
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

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(schemas, m)?)?;
    m.add("CbmgError", m.py().get_type::<CbmgError>())?;
    m.add("LexiconError", m.py().get_type::<LexiconError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
