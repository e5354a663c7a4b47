//! The behaviour suite, generic over the backend: every backend's test file
//! instantiates it with `keyway_suite!` and a function opening a fresh,
//! empty database for each test.
#![allow(dead_code)]

pub mod aggregates;
pub mod checks;
pub mod counter;
pub mod crud;
pub mod document_updates;
pub mod embedded;
pub mod errors;
pub mod expiry;
pub mod faults;
pub mod filters;
pub mod indexed_crud;
pub mod indexed_foreign_keys;
pub mod indexed_queries;
pub mod indexed_relations;
pub mod indexed_tx;
pub mod indexed_values;
pub mod limits;
pub mod pages;
pub mod pool;
pub mod portable;
pub mod relation_filters;
pub mod relations;
pub mod reliability;
pub mod returning;
pub mod row_locks;
pub mod row_shape;
pub mod schema_drift;
pub mod scratch;
pub mod soft_delete;
pub mod sqlite_engines;
pub mod tcp_proxy;
pub mod text_match;
pub mod together;
pub mod transactions;
pub mod typed_values;
pub mod uniform_errors;
pub mod upserts;
pub mod values;
pub mod writes;

pub use limits::Limits;

/// Declares one `#[tokio::test]` per suite test, each on a fresh database from
/// `$open` (an async expression evaluating to `Db<B>`, or to a value that
/// derefs to one, such as a [`scratch::Scratch`]).
#[macro_export]
macro_rules! keyway_suite {
    ($open:expr; $($module:ident :: $test:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let db = $open.await;
            suite::$module::$test(&db).await;
        }
    )*};
}

/// Like `keyway_suite!`, for tests that also take the backend's [`Limits`].
#[macro_export]
macro_rules! keyway_limited_suite {
    ($open:expr, $limits:expr; $($module:ident :: $test:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let db = $open.await;
            suite::$module::$test(&db, &$limits).await;
        }
    )*};
}

/// Every test of the suite that needs SQL-level access (unindexed filters),
/// for a backend that stores every value, or one with the given [`Limits`].
#[macro_export]
macro_rules! keyway_sql_suite {
    ($open:expr) => {
        $crate::keyway_sql_suite!($open, suite::Limits::NONE);
    };
    ($open:expr, $limits:expr) => {
        $crate::keyway_limited_suite!($open, $limits;
            values::extreme_values_round_trip,
            values::hostile_strings_are_inert,
            values::unstorable_values_are_refused,
            reliability::random_round_trips,
            reliability::soak_8_tasks_x_2000_ops,
        );
        $crate::keyway_suite!($open;
            crud::insert_and_get,
            crud::insert_many_returns_keys_in_order,
            crud::insert_many_empty_is_noop,
            crud::insert_many_large_batch,
            crud::insert_many_across_statements_is_all_or_nothing,
            crud::save_writes_every_column,
            crud::update_by_key_sets_only_given_columns,
            crud::update_where_counts_matches,
            crud::delete_by_key_and_where,
            crud::composite_key,
            filters::comparisons,
            filters::in_list_and_null_checks,
            filters::boolean_combinations,
            filters::ordering_limit_offset,
            filters::first_and_count,
            filters::projection,
            filters::stream_yields_every_row,
            errors::unique_violation_names_entity_and_index,
            errors::unique_violation_on_update,
            errors::invalid_updates_are_refused,
            transactions::commits_on_ok,
            transactions::rolls_back_on_err,
            transactions::rolls_back_on_drop,
            transactions::begin_commit_rollback,
            transactions::transaction_future_is_send,
            values::every_type_round_trips,
            relations::include_has_many_belongs_to_has_one,
            relations::include_order_does_not_matter,
            relations::included_children_come_in_key_order,
            relations::optional_belongs_to,
            relations::nested_includes,
            relations::filtered_and_ordered_include,
            relations::include_on_empty_result,
            relations::one_query_per_relation_and_level,
            relations::lazy_loads,
            relations::scoped_queries_create_and_delete,
            relations::many_to_many_from_both_sides,
            relations::foreign_keys_are_enforced,
            relations::include_chunks_long_key_lists,
            aggregates::aggregates_agree_with_the_rows,
            aggregates::aggregate_errors_are_clear,
            pages::pages_in_a_column_order,
        );
    };
}

/// Every test of the suite that needs only [`Indexed`](keyway::Indexed)
/// access and explicit `.scan()`s, for every backend, DynamoDB included
/// (declared in a module of their own, beside `keyway_sql_suite!`).
/// Foreign keys are checked on every backend (`indexed_foreign_keys`);
/// `relations::foreign_keys_are_enforced` stays SQL-only for its unindexed
/// filters.
#[macro_export]
macro_rules! keyway_indexed_suite {
    ($open:expr) => {
        mod indexed_suite {
            use super::*;
            $crate::keyway_suite!($open;
                indexed_crud::crud_by_key,
                writes::conditional_update_and_delete,
                writes::optimistic_locking,
                writes::one_of_two_writers_wins,
                writes::increments,
                writes::concurrent_increments,
                upserts::upsert_by_key_and_by_index,
                upserts::upserts_in_transactions,
                upserts::concurrent_upserts_store_each_key_once,
                upserts::upsert_outcomes_tell_inserts,
                upserts::concurrent_upsert_outcomes_report_each_insert_once,
                soft_delete::soft_deleted_rows_are_left_out,
                expiry::expired_rows_are_left_out,
                expiry::expiry_in_transactions,
                checks::checks_guard_a_transaction,
                together::rows_read_together,
                together::reads_together_never_see_half_a_transfer,
                returning::returned_rows_equal_a_fresh_read,
                returning::returning_keeps_the_errors_of_writes_by_key,
                returning::returning_in_transactions,
                returning::concurrent_returning_is_exact,
                indexed_crud::insert_many_keys,
                indexed_crud::create_returns_stored_entities,
                row_shape::wrong_row_shape_is_refused,
                indexed_crud::partition_and_sort_key,
                indexed_crud::update_and_delete_by_index,
                indexed_queries::index_lookups,
                indexed_queries::projection_count_first,
                indexed_queries::streams_and_scans,
                indexed_queries::reads_follow_every_page,
                indexed_values::unique_constraints,
                indexed_values::values_round_trip,
                indexed_values::hostile_strings_are_inert,
                typed_values::typed_values_round_trip,
                typed_values::instants_order_as_time,
                typed_values::decimals_are_never_rounded,
                typed_values::enums_refuse_unknown_values,
                typed_values::random_typed_round_trips,
                typed_values::generated_uuid_keys,
                typed_values::document_path_filters_agree,
                typed_values::lists_filter_by_element,
                typed_values::hostile_documents_are_inert,
                document_updates::document_paths_update_in_place,
                document_updates::document_paths_need_their_parent,
                document_updates::document_path_refusals,
                document_updates::document_paths_in_transactions,
                document_updates::document_paths_inside_embedded_structs,
                schema_drift::created_schema_has_no_drift,
                schema_drift::a_missing_table_is_drift,
                embedded::embedded_structs_round_trip,
                embedded::embedded_fields_filter,
                embedded::embedded_refusals,
                embedded::random_embedded_round_trips,
                embedded::embedded_in_transactions,
                indexed_relations::includes_through_indexes,
                indexed_relations::one_statement_per_relation,
                indexed_relations::lazy_and_scoped,
                indexed_relations::many_to_many,
                relation_filters::relation_filters_agree_with_the_rows,
                relation_filters::belongs_to_filters_agree_with_the_rows,
                relation_filters::writes_through_relation_filters,
                text_match::text_matching_agrees_everywhere,
                text_match::starts_with_on_a_sort_key,
                pages::pages_in_key_order,
                indexed_tx::tx_commits_and_rolls_back,
                indexed_tx::tx_unique_violation_writes_nothing,
                indexed_tx::tx_insert_then_update_is_one_write,
                indexed_tx::tx_insert_then_delete_leaves_nothing,
                indexed_tx::tx_insert_then_update_of_a_unique_column,
                indexed_tx::tx_delete_then_insert_replaces,
                indexed_tx::tx_rollback_of_composed_writes,
                indexed_foreign_keys::fk_missing_parent_is_refused,
                indexed_foreign_keys::fk_restrict_refuses_the_delete,
                indexed_foreign_keys::fk_cascade_reaches_grandchildren,
                indexed_foreign_keys::fk_set_null_detaches_children,
                indexed_foreign_keys::fk_cascade_past_100_children,
                indexed_foreign_keys::fk_in_a_transaction,
                uniform_errors::missing_table_is_reported,
                portable::ordered_by_key_columns,
                portable::many_to_many_from_the_sort_key_side,
                portable::insert_with_given_keys,
                portable::transaction_returns_the_applications_error,
            );
        }
    };
}
