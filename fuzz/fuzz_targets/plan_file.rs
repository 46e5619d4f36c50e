//! Any bytes as an uploaded plan of measures — a Word document, an Excel sheet, a text file:
//! read into a plan or refused with a reason, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["plan.docx", "plan.xlsx", "plan.txt"] {
        let _ = roadmap::file::read_plan(name, data);
    }
});
