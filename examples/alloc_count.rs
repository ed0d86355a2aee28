//! Allocations per check: `examples/check_many`'s loop under a global
//! allocator that counts calls (issue #13: the allocator was a quarter of
//! check_100's time).
//!
//! Run: `cargo run --release --example alloc_count -- SCENARIO.guize [N] [RULESET]`.

mod workload;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static REALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the layout is passed through to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` or `realloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `dealloc`, and `new_size` is the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() -> miette::Result<()> {
    workload::with_workload(
        "alloc_count SCENARIO.guize [N] [RULESET]",
        100,
        |rs, compiled, n| {
            let n = n.max(1);
            let (a0, r0, b0) = (
                ALLOCS.load(Ordering::Relaxed),
                REALLOCS.load(Ordering::Relaxed),
                BYTES.load(Ordering::Relaxed),
            );
            let mut findings = 0;
            for _ in 0..n {
                let r =
                    guize::check::check(std::hint::black_box(rs), std::hint::black_box(compiled))
                        .map_err(|e| miette::miette!("{e:?}"))?;
                findings += r.findings.len();
            }
            let per = |x: usize| x as f64 / n as f64;
            println!(
                "{} findings per check; per check: {:.1} allocations, {:.1} reallocations, {:.0} bytes",
                findings / n,
                per(ALLOCS.load(Ordering::Relaxed) - a0),
                per(REALLOCS.load(Ordering::Relaxed) - r0),
                per(BYTES.load(Ordering::Relaxed) - b0),
            );
            Ok(())
        },
    )
}
