#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pia_fuzz::load_check(data));
