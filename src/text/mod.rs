//! Stage 2: text. The normalised matching view of a document, its sentences, and the mapping
//! from byte offsets to the code-point offsets Python uses.

pub mod html;
pub mod normalize;
pub mod offsets;
pub mod sentences;

pub use normalize::NormText;
pub use offsets::{ceil_boundary, floor_boundary, CharIndex};
pub use sentences::{split_sentences, Sentence};
