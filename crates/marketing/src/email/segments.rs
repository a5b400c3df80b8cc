//! FOUNDATION STUB: segments of contacts (tags, purchases, progress, dates, engagement, fields),
//! written by the broadcasts helper.
