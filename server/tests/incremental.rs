//! Incremental re-analysis equals a full analysis: random edit sequences (inserts, deletes,
//! replacements with newlines, CRLF, multibyte characters, catalog error texts, log headers,
//! prompts, blank lines, suppression comments) on fixture texts and generated mixed logs; after
//! each edit (or a burst of them, coalesced) the updated findings equal a full analysis of the
//! new text, finding for finding: the scanner, the logs and the cmdlet output read one after the
//! other, then suppression (`whole`, independent of the parallel read that `incremental::full`
//! and `analysis::analyse` share; both are held to it too). Deterministic seeds.
use freebusy_lsp::analysis::{analyse, Options};
use freebusy_lsp::document::DocKind;
use freebusy_lsp::finding::Finding;
use freebusy_lsp::incremental::{self, Change};
use freebusy_lsp::{logs, output, scan, suppress};
use ropey::Rope;

mod support;
use support::edits::*;

/// A text document's findings from its analyses run one after the other.
fn whole(text: &str, opts: &Options) -> Vec<Finding> {
    let errors = scan::scanner().scan(text);
    let mut all = errors.clone();
    all.extend(logs::analyse(text, opts));
    all.extend(output::analyse(text, &errors));
    suppress::apply(text, &mut all);
    all.sort_by_key(|f| (f.range.start, f.code));
    all
}

/// Edits `start` `steps` times (bursts of up to 3 edits coalesced), comparing after each.
fn check(seed: u64, start: &str, steps: usize, pieces: &[String]) {
    let mut rng = Rng(seed);
    let opts = Options::default();
    let mut text = start.to_string();
    let mut state = incremental::full(DocKind::Text, &text, None, &opts, &|| false).unwrap();
    let want = whole(&text, &opts);
    assert_eq!(**state.findings(), want);
    assert_eq!(analyse(DocKind::Text, &text, None, &opts).0, want);
    for step in 0..steps {
        let mut change: Option<Change> = None;
        for _ in 0..1 + rng.below(3) {
            let (range, insert) = random_edit(&mut rng, &text, pieces);
            let c = Change::new(range.clone(), insert.len());
            text.replace_range(range, &insert);
            change = Some(change.map_or(c, |old| old.then(c)));
        }
        let rope = Rope::from_str(&text);
        state = incremental::update(&state, change.unwrap(), &rope, &opts, &|| false).unwrap();
        let want = whole(&text, &opts);
        if **state.findings() != want {
            let dump = std::env::temp_dir().join(format!("incremental-{seed}-{step}.txt"));
            std::fs::write(&dump, &text).unwrap();
            panic!(
                "seed {seed} step {step} ({:?}): incremental differs from full (text in {})\nincremental: {:#?}\nfull: {:#?}",
                change.unwrap(),
                dump.display(),
                diff(state.findings(), &want).0,
                diff(state.findings(), &want).1,
            );
        }
    }
}

/// The findings only one side has.
fn diff<'a>(a: &'a [Finding], b: &'a [Finding]) -> (Vec<&'a Finding>, Vec<&'a Finding>) {
    (
        a.iter().filter(|f| !b.contains(f)).collect(),
        b.iter().filter(|f| !a.contains(f)).collect(),
    )
}

#[test]
fn edits_of_logs_and_output_fixtures() {
    let errors = error_texts();
    let pieces = pieces(&errors);
    let text = fixtures("logs") + &fixtures("output");
    for seed in 1..=3 {
        check(seed, &text, 20, &pieces);
    }
}

#[test]
fn edits_of_scan_fixtures() {
    let errors = error_texts();
    let pieces = pieces(&errors);
    let text = fixtures("scan/errors");
    for seed in 11..=12 {
        check(seed, &text, 15, &pieces);
    }
}

#[test]
fn edits_of_generated_mixed_logs() {
    let errors = error_texts();
    let pieces = pieces(&errors);
    for seed in 21..=24 {
        let text = generated(
            &mut Rng(seed),
            50_000 + 20_000 * (seed as usize % 2),
            &errors,
        );
        check(seed, &text, 20, &pieces);
    }
}

#[test]
fn edits_of_one_long_log() {
    let errors = error_texts();
    let pieces = pieces(&errors);
    for seed in 51..=52 {
        let text = one_log(&mut Rng(seed), 40_000, &errors);
        check(seed, &text, 20, &pieces);
    }
}

#[test]
fn edits_inside_a_long_table() {
    // Rows that start with digits, no blank line: all of them rows of the table above.
    let errors = error_texts();
    let pieces = pieces(&errors);
    let mut text = String::from(
        "PS C:\\> Test-OAuthConnectivity | FT\n\nId   ResultType Detail\n---- ---------- ------\n",
    );
    for i in 0..600 {
        let kind = if i % 7 == 0 {
            "Error     "
        } else {
            "Success   "
        };
        text.push_str(&format!(
            "{i:<4} {kind} The token has an invalid signature.\n"
        ));
    }
    text.push_str(&one_log(&mut Rng(71), 20_000, &errors));
    for seed in 71..=72 {
        check(seed, &text, 15, &pieces);
    }
}

#[test]
fn small_texts_and_edits_at_the_ends() {
    let errors = error_texts();
    let pieces = pieces(&errors);
    for seed in 31..=40 {
        let text = generated(&mut Rng(seed), 300, &errors);
        check(seed, &text, 20, &pieces);
    }
    check(41, "", 20, &pieces);
}

#[test]
fn coalesced_changes_cover_every_edit() {
    // Two edits in either order and overlapping: the covering change maps the texts.
    let a = Change::new(10..20, 5); // text 100 -> 95
    let b = Change::new(2..4, 0); // -> 93
    assert_eq!(
        a.then(b),
        Change {
            start: 2,
            old_end: 20,
            new_end: 13
        }
    );
    let c = Change::new(12..30, 1); // overlaps a's new text and goes past it
    assert_eq!(
        a.then(c),
        Change {
            start: 10,
            old_end: 35,
            new_end: 13
        }
    );
}
