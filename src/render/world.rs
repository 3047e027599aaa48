//! The typst `World` of one render: the form's layout template (`layout.typ` of the document's
//! form) as the only source, the presentation data as `/data.json`, the 別添1 figure as
//! `/figure.<ext>`, and the fonts. Nothing else is served: a template or an SVG cannot read the
//! disk.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World};

use super::fonts::Fonts;

pub(crate) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("virtual paths of the renderer are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

pub struct PiaWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a Fonts,
    main: Source,
    data: (FileId, Bytes),
    figure: Option<(FileId, Bytes)>,
    today: Datetime,
}

impl<'a> PiaWorld<'a> {
    pub fn new(
        fonts: &'a Fonts,
        layout: &str,
        data: Vec<u8>,
        figure: Option<(String, Vec<u8>)>,
        today: Datetime,
    ) -> Self {
        let main = Source::new(file_id("/main.typ"), layout.to_string());
        PiaWorld {
            // `pdf.header-cell` (row headers of the tag tree) is behind this feature flag in
            // typst 0.15.
            library: LazyHash::new(
                Library::builder()
                    .with_features([Feature::A11yExtras].into_iter().collect())
                    .build(),
            ),
            fonts,
            main,
            data: (file_id("/data.json"), Bytes::new(data)),
            figure: figure.map(|(path, bytes)| (file_id(&path), Bytes::new(bytes))),
            today,
        }
    }
}

impl World for PiaWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(
                id.get().vpath().get_with_slash().into(),
            ))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data.0 {
            return Ok(self.data.1.clone());
        }
        if let Some((fid, bytes)) = &self.figure
            && *fid == id
        {
            return Ok(bytes.clone());
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        Err(FileError::NotFound(
            id.get().vpath().get_with_slash().into(),
        ))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
