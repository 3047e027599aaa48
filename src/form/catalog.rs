//! Where forms come from: the forms built into `pia`, and form folders a body supplies (a newer
//! PPC revision of a 様式, or a 様式 `pia` does not ship) with `--forms-dir`, `PIA_FORMS_DIR`
//! or a `forms/` folder beside the assessments.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::Form;

/// The forms built into `pia`: (folder name, form.toml, layout.typ).
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "r6-10-yoshiki4",
        include_str!("../../forms/r6-10-yoshiki4/form.toml"),
        include_str!("../../forms/r6-10-yoshiki4/layout.typ"),
    ),
    (
        "r6-10-yoshiki2",
        include_str!("../../forms/r6-10-yoshiki2/form.toml"),
        include_str!("../../forms/r6-10-yoshiki2/layout.typ"),
    ),
];

/// The form an assessment without `meta.form_version` uses.
pub const DEFAULT_ID: &str = "R6.10-yoshiki4";

/// A form could not be found or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// No form with this id in the catalog.
    Unknown { id: String, available: Vec<String> },
    /// A form folder that cannot be read.
    Unreadable { folder: PathBuf, reason: String },
    /// A form definition with errors.
    Invalid {
        origin: String,
        problems: Vec<String>,
    },
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormError::Unknown { id, available } => write!(
                f,
                "様式「{id}」が見つかりません（使える様式: {}）",
                available.join("、")
            ),
            FormError::Unreadable { folder, reason } => write!(
                f,
                "様式のフォルダ `{}` を読み込めません（{reason}）",
                folder.display()
            ),
            FormError::Invalid { origin, problems } => {
                write!(
                    f,
                    "様式の定義（{origin}）に誤りがあります: {}",
                    problems.join("／")
                )
            }
        }
    }
}

impl std::error::Error for FormError {}

impl FormError {
    /// What to do, in Japanese.
    pub fn help(&self) -> String {
        match self {
            FormError::Unknown { .. } => "meta.form_version の様式名を確認してください。pia に組み込まれていない様式は、その様式のフォルダ（form.toml と layout.typ）を --forms-dir で指定するか、評価書のディレクトリと同じ階層の forms/ に置きます。".to_string(),
            FormError::Unreadable { .. } => "フォルダに form.toml と layout.typ があるか確認してください。".to_string(),
            FormError::Invalid { .. } => "様式の定義を直してください（docs/architecture.md の「新しい様式」を参照）。".to_string(),
        }
    }
}

/// The forms available to one run: folders searched first (in order), then the built-in forms.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Directories holding form folders (`<dir>/<name>/form.toml`).
    pub dirs: Vec<PathBuf>,
}

fn builtins() -> &'static Vec<Arc<Form>> {
    static FORMS: OnceLock<Vec<Arc<Form>>> = OnceLock::new();
    FORMS.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(name, form, layout)| {
                let origin = format!("pia に組み込みの様式 {name}");
                let mut form = Form::parse(form, layout, &origin).unwrap_or_else(|e| {
                    panic!("built-in form {name} is invalid: {e}") // ruled out by the tests
                });
                form.builtin = Some(name.to_string());
                Arc::new(form)
            })
            .collect()
    })
}

impl Catalog {
    /// The built-in forms only.
    pub fn builtin() -> Catalog {
        Catalog::default()
    }

    /// The forms for an assessment at `assessment` (a directory or a TOML file): `forms_dir`
    /// (the command line's `--forms-dir`), then `PIA_FORMS_DIR`, then a `forms/` folder beside
    /// the assessment directory, then the built-in forms.
    pub fn discover(assessment: &Path, forms_dir: Option<&Path>) -> Catalog {
        let mut dirs = Vec::new();
        if let Some(d) = forms_dir {
            dirs.push(d.to_path_buf());
        }
        if let Some(d) = std::env::var_os("PIA_FORMS_DIR").filter(|d| !d.is_empty()) {
            dirs.push(PathBuf::from(d));
        }
        let dir = if assessment.is_dir() {
            Some(assessment)
        } else {
            assessment.parent()
        };
        if let Some(beside) = dir.and_then(Path::parent).map(|p| p.join("forms"))
            && beside.is_dir()
        {
            dirs.push(beside);
        }
        Catalog { dirs }
    }

    /// The form whose id is `id`.
    pub fn find(&self, id: &str) -> Result<Arc<Form>, FormError> {
        for dir in &self.dirs {
            for folder in folders(dir) {
                let form_toml = folder.join("form.toml");
                let Ok(text) = read_small(&form_toml) else {
                    continue;
                };
                // Only the folder that declares this id is parsed in full.
                if declared_id(&text).as_deref() != Some(id) {
                    continue;
                }
                let layout =
                    read_small(&folder.join("layout.typ")).map_err(|e| FormError::Unreadable {
                        folder: folder.clone(),
                        reason: format!("layout.typ: {e}"),
                    })?;
                let origin = format!("{}", folder.display());
                return Form::parse(&text, &layout, &origin).map(Arc::new);
            }
        }
        builtins()
            .iter()
            .find(|f| f.id == id)
            .cloned()
            .ok_or_else(|| FormError::Unknown {
                id: id.to_string(),
                available: self.available(),
            })
    }

    /// The form of the 基礎項目評価書 that accompanies documents of `form` (its `basic_report`).
    pub fn companion(&self, form: &Form) -> Option<Arc<Form>> {
        form.basic_report
            .as_deref()
            .and_then(|id| self.find(id).ok())
    }

    /// The form of an assessment that names none.
    pub fn default_form(&self) -> Arc<Form> {
        self.find(DEFAULT_ID)
            .unwrap_or_else(|_| builtins()[0].clone())
    }

    /// The ids of every form available.
    pub fn available(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for dir in &self.dirs {
            for folder in folders(dir) {
                if let Some(id) = read_small(&folder.join("form.toml"))
                    .ok()
                    .and_then(|t| declared_id(&t))
                {
                    out.push(id);
                }
            }
        }
        out.extend(builtins().iter().map(|f| f.id.clone()));
        out.dedup();
        out
    }
}

/// Sub-folders of a forms directory, sorted (deterministic choice when two declare one id).
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("form.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A form file, read with the loader's size bound.
fn read_small(path: &Path) -> Result<String, String> {
    let bytes = crate::guard::read_regular(path, crate::limits::MAX_TOML_BYTES)
        .map_err(|e| e.message(""))?;
    String::from_utf8(bytes).map_err(|_| "UTF-8 ではありません".to_string())
}

/// The `[form] id` of a form.toml, without parsing the whole definition.
fn declared_id(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        form: Id,
    }
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    toml::from_str::<Head>(text).ok().map(|h| h.form.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_forms_are_valid_and_found_by_id() {
        for (name, form, layout) in BUILTIN {
            let f = Form::parse(form, layout, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(Catalog::builtin().find(&f.id).is_ok());
        }
        assert_eq!(Catalog::builtin().default_form().id, DEFAULT_ID);
        let e = Catalog::builtin().find("no-such-form").unwrap_err();
        assert!(e.to_string().contains("no-such-form") && e.to_string().contains(DEFAULT_ID));
    }
}
