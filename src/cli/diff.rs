//! `pia diff`.

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> u8 {
    super::fail("pia diff はまだ実装されていません", None)
}
