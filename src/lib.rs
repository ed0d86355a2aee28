
pub mod calendar;
