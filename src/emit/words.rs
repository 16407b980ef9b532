//! Bytes looked at eight at a time. A test ([`Marks`]) reads eight bytes
//! as one little-endian word and sets the high bit of each byte it marks,
//! exactly up to the first such byte (a borrow may mark bytes above it
//! too); the last few bytes of a text are tested one by one, each as the
//! low byte of a word. The JSON printer looks this way for the bytes a
//! string cannot hold as they are, and the scanner of earlier templates
//! for quotes and brackets: strings are a few bytes each, and a test per
//! byte, or a search call per string (`memchr`), cost more than the
//! search. Terraform's strings are shorter still: one under eight bytes
//! is tested byte by byte against a table, a longer one a word at a time,
//! its last word overlapping the one before ([`none_marked`]).

/// A word test: the high bit of each byte of the word it marks.
pub type Marks = fn(u64) -> u64;

pub const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// Where in `bytes` the first byte `marks` marks is.
pub fn find(bytes: &[u8], marks: Marks) -> Option<usize> {
    let (words, rest) = bytes.as_chunks::<8>();
    for (n, word) in words.iter().enumerate() {
        let found = marks(u64::from_le_bytes(*word));
        if found != 0 {
            return Some(8 * n + (found.trailing_zeros() / 8) as usize);
        }
    }
    let at = 8 * words.len();
    rest.iter().position(|byte| marks(u64::from(*byte)) & 0x80 != 0).map(|n| at + n)
}

/// Whether `marks` marks no byte of `bytes`: a word at a time, the last
/// word overlapping the one before it, so that no byte of a text of eight
/// or more is tested alone (a shorter one is tested byte by byte, each as
/// the low byte of a word).
pub fn none_marked(bytes: &[u8], marks: impl Fn(u64) -> u64) -> bool {
    let (words, rest) = bytes.as_chunks::<8>();
    let mut found = words.iter().fold(0, |found, word| found | marks(u64::from_le_bytes(*word)));
    match bytes.last_chunk::<8>() {
        Some(last) if !rest.is_empty() => found |= marks(u64::from_le_bytes(*last)),
        Some(_) => {}
        None => found |= rest.iter().fold(0, |found, byte| found | (marks(u64::from(*byte)) & 0x80)),
    }
    found == 0
}

/// The high bit of each byte of `word` that is `byte`.
pub fn bytes_equal(word: u64, byte: u8) -> u64 {
    let diff = word ^ (ONES * u64::from(byte));
    diff.wrapping_sub(ONES) & !diff & HIGH
}

/// The high bit of each byte of `word` below `bound` (at most 0x80).
pub fn bytes_below(word: u64, bound: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGH
}

/// What a JSON string escapes: a control character (below 0x20), a quote
/// or a backslash.
pub fn json_escaped(word: u64) -> u64 {
    bytes_below(word, 0x20) | bytes_equal(word, b'"') | bytes_equal(word, b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `marks` finds what `marked` finds byte by byte: every byte, at
    /// every offset of a word and of the tail, among bytes neither marks.
    fn agrees(marks: Marks, marked: impl Fn(u8) -> bool) {
        let plain = (0..=255u8).find(|b| !marked(*b)).expect("a byte the test does not mark");
        for byte in 0..=255u8 {
            for len in 1..=19 {
                for at in 0..len {
                    let mut bytes = vec![plain; len];
                    bytes[at] = byte;
                    let expected = marked(byte).then_some(at);
                    assert_eq!(find(&bytes, marks), expected, "byte {byte:#04x} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn each_test_finds_what_a_byte_by_byte_test_finds() {
        agrees(|w| bytes_equal(w, b'"'), |b| b == b'"');
        agrees(|w| bytes_equal(w, 0xc2), |b| b == 0xc2);
        agrees(|w| bytes_below(w, 0x20), |b| b < 0x20);
        agrees(|w| bytes_below(w, 0x80), |b| b < 0x80);
        agrees(json_escaped, |b| b < 0x20 || b == b'"' || b == b'\\');
    }

    /// `none_marked` sees a marked byte wherever it is, the overlapping
    /// last word and texts shorter than a word included.
    #[test]
    fn a_marked_byte_at_any_offset_of_a_text_is_seen() {
        for len in 0..=27 {
            assert!(none_marked(&vec![b'a'; len], json_escaped), "{len} plain bytes");
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'"';
                assert!(!none_marked(&bytes, json_escaped), "a quote at {at} of {len}");
            }
        }
    }

    #[test]
    fn the_first_of_several_marked_bytes_is_found() {
        assert_eq!(find(b"abc\"def\"\\\x01", json_escaped), Some(3));
        assert_eq!(find(b"abcdefgh\x00\x00", json_escaped), Some(8));
        assert_eq!(find(b"", json_escaped), None);
    }
}
