//! `pia render`: model → PDF through an embedded typst (see issue 4).
