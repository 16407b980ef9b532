//! What gets deployed, decided once for both outputs: the layer between
//! grants and the printers in `emit`. It owns every AWS fact the two
//! targets would otherwise each decide: physical names and which target
//! sets them (`names`), logical ids that depend on names alone (`ids`),
//! the attributes whose stdlib defaults they always print (`defaults`),
//! unit conversions, log retention, the access-log line, secret
//! generation and provenance (`facts`), the outputs (`outputs`), the
//! app's inputs as parameters and variables (`inputs`), and the
//! check that no two resources get one physical name (`collisions`). The printers in
//! `emit/cloudformation` and `emit/terraform` ask here and only choose how
//! to write the answer.

pub mod collisions;
pub mod defaults;
pub mod facts;
pub mod ids;
pub mod inputs;
pub mod names;
pub mod outputs;

pub use collisions::check_physical_names;
