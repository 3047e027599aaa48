//! `pia render`.

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> u8 {
    super::fail("pia render はまだ実装されていません", None)
}
