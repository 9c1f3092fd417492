use super::*;

/// Elements of a few lines each, some holding what looks like a boundary inside a string, in an
/// array that is `closed` or cut short.
fn array(count: usize, decoy_at: usize, closed: bool) -> String {
    let elements: Vec<String> = (0..count)
        .map(|i| {
            let text = if i == decoy_at { r#"a},{\"b\":\"x\"},\n{"#.repeat(40) } else { "y".repeat(i % 90) };
            let gap = "\n".repeat(i % 3);
            format!("{{\"id\":{i},{gap}\"text\":\"{text}\"}}")
        })
        .collect();
    let mut text = format!("[{}", elements.join(",\n "));
    if closed {
        text.push(']');
    } else {
        text.truncate(text.len() - 7);
    }
    text
}

/// What a scan from `start` should find: each element's text and its newlines counted naively.
fn check(text: &str, (found, end): (Elements<'_>, ElementsEnd), closed: bool) {
    assert_eq!(found.texts.len(), found.newlines.len());
    for (element, newlines) in found.texts.iter().zip(&found.newlines) {
        let at = element.as_ptr() as usize - text.as_ptr() as usize;
        let counted = text[1..at].matches('\n').count();
        assert_eq!(*newlines as usize, counted, "{element}");
        assert!(element.starts_with('{') && element.ends_with('}'));
    }
    match end {
        ElementsEnd::Closed(end) => assert!(closed && end == text.len()),
        ElementsEnd::RanOut(resume) => {
            assert!(!closed);
            let last_end = found.texts.last().map_or(1, |e| e.as_ptr() as usize - text.as_ptr() as usize + e.len());
            assert!(resume >= last_end && text.as_bytes()[resume] == b'{');
        }
        ElementsEnd::Stopped { .. } => panic!("no stop was given"),
    }
}

#[test]
fn counts_the_newlines_before_each_element() {
    for closed in [true, false] {
        for count in [1, 2, 5, 64, 100] {
            let text = array(count, usize::MAX, closed);
            let scanned = scan_elements(&text, 1, None).expect("an array of objects");
            let expected = if closed { count } else { count - 1 };
            assert_eq!(scanned.0.texts.len(), expected, "{text}");
            check(&text, scanned, closed);
        }
    }
}

/// On all cores, with guesses right or wrong (a decoy boundary inside a string), cut short or
/// closed: the same elements and newlines as one scan.
#[test]
fn all_cores_find_what_one_scan_finds() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    for closed in [true, false] {
        for decoy_at in [0, 30, 49, 50, 51, 75, 99, usize::MAX] {
            let text = array(100, decoy_at, closed);
            assert!(text.len() > SCAN_ON_ALL_CORES_FROM_BYTES, "{}", text.len());
            let one = scan_elements(&text, 1, None).expect("an array of objects");
            let all = pool.install(|| scan_elements_on_all_cores(&text, 1)).expect("an array of objects");
            assert_eq!(all, one, "decoy in element {decoy_at}, closed: {closed}");
            check(&text, all, closed);
        }
    }
}

#[test]
fn anything_but_an_array_of_objects_is_none() {
    let text = format!("[{}, 1]", array(60, usize::MAX, true).trim_start_matches('[').trim_end_matches(']'));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    assert_eq!(pool.install(|| scan_elements_on_all_cores(&text, 1)), None);
    assert_eq!(scan_elements(&text, 1, None), None);
}

/// Both ways of making a block's masks agree, on every byte value at every position.
#[test]
fn masks_in_words_are_the_masks_of_the_block() {
    let mut seed = 7_u64;
    for round in 0..2000 {
        let mut block = [0_u8; 64];
        for byte in &mut block {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            // Mostly the bytes that matter, so that every mask has bits.
            *byte = if round % 2 == 0 { b"\"{}\n\\a\x80\xff"[(seed >> 61) as usize] } else { (seed >> 56) as u8 };
        }
        let expected = |wanted: u8| (0..64).filter(|&i| block[i] == wanted).fold(0_u64, |mask, i| mask | 1 << i);
        for with_backslashes in [true, false] {
            for masks in
                [BlockMasks::of_block(&block, with_backslashes), BlockMasks::in_words(&block, with_backslashes)]
            {
                assert_eq!(masks.quote, expected(b'"'));
                assert_eq!(masks.open, expected(b'{'));
                assert_eq!(masks.close, expected(b'}'));
                assert_eq!(masks.newline, expected(b'\n'));
                assert_eq!(masks.backslash, if with_backslashes { expected(b'\\') } else { 0 });
            }
        }
    }
}

/// Random arrays of objects whose strings hold braces, commas, escaped quotes and backslashes,
/// with random gaps, cut anywhere: on any number of cores, what one scan finds.
#[test]
fn random_arrays_scan_alike_on_any_number_of_cores() {
    let mut seed = 11_u64;
    let mut next = move |below: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % below
    };
    let pieces = ["a", "}", "{", ",", "\\\"", "\\\\", "},{", "é", " ", "\\n"];
    let gaps = ["", " ", "\n", ",\n ", "\r\n\t"];
    let pools: Vec<rayon::ThreadPool> =
        [2, 3, 5].map(|threads| rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()).into();
    for round in 0..60 {
        let mut text = String::from("[");
        for element in 0..(60 + next(120)) {
            if element > 0 {
                text.push(',');
            }
            text.push_str(gaps[next(5)]);
            let content: String = (0..next(40)).map(|_| pieces[next(10)]).collect();
            text.push_str(&format!("{{\"i\":{element},\"s\":\"{content}\",\"o\":{{\"t\":[\"{content}\"]}}}}"));
        }
        text.push(']');
        let cut = if round % 2 == 0 { text.len() } else { 1 + next(text.len() - 1) };
        let Some(text) = text.get(..cut) else { continue };
        let one = scan_elements(text, 1, None);
        for pool in &pools {
            assert_eq!(pool.install(|| scan_elements_on_all_cores(text, 1)), one, "round {round}");
        }
    }
}

/// A scan told to stop at a guessed element start that lies inside a string goes on past it, and
/// still sees the escaped quotes that come only after the guess (backslashes are looked for up
/// to the stop first, then beyond it when the scan gets there).
#[test]
fn a_wrong_guess_is_scanned_past_with_the_escapes_after_it() {
    let text = r#"[{"a":"x"},{"b":"y },{ \" },{ z"},{"c":1}]"#;
    let guess = text.find("},{ \\\"").unwrap() + 2;
    assert_eq!(text.as_bytes()[guess], b'{');
    let (found, end) = scan_elements(text, 1, Some(guess)).unwrap();
    let (whole, whole_end) = scan_elements(text, 1, None).unwrap();
    assert_eq!(found.texts, [r#"{"a":"x"}"#, r#"{"b":"y },{ \" },{ z"}"#, r#"{"c":1}"#]);
    assert_eq!((found, end), (whole, whole_end));
}
