//! The tables, shared by both backends: every table the migrations create, and only here.
//! Hand-written; tests/schema.rs checks it against what the migrations of each backend
//! create, and the two migration trees against each other.

diesel::table! {
    divisions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        aliases -> Text,
        geometry -> Nullable<Text>,
        status -> Text,
        replaced_by -> Nullable<Text>,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    thoroughfares (id) {
        id -> Text,
        county_code -> Text,
        name -> Text,
        pinyin_override -> Nullable<Text>,
        geometry -> Text,
        numbering -> Text,
        status -> Text,
        replaced_by -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    localities (id) {
        id -> Text,
        village_code -> Text,
        name -> Text,
        pinyin_override -> Nullable<Text>,
        geometry -> Text,
        status -> Text,
        replaced_by -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    former_names (id) {
        id -> BigInt,
        subject_id -> Text,
        name -> Text,
        valid_until -> Text,
        document -> Nullable<Text>,
        parent_code -> Nullable<Text>,
    }
}

diesel::table! {
    plates (id) {
        id -> Text,
        thoroughfare_id -> Nullable<Text>,
        locality_id -> Nullable<Text>,
        number -> Integer,
        sub -> Integer,
        township_code -> Nullable<Text>,
        lon -> Double,
        lat -> Double,
        side -> Nullable<Text>,
        measure_m -> Nullable<Double>,
        status -> Text,
        replaced_by -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        reserved_until -> Nullable<Text>,
        plan_id -> Nullable<Text>,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency (token_id, key) {
        token_id -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    buildings (id) {
        id -> Text,
        plate_id -> Text,
        number -> Text,
        status -> Text,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    units (id) {
        id -> Text,
        building_id -> Text,
        number -> Text,
        status -> Text,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    rooms (id) {
        id -> Text,
        unit_id -> Text,
        number -> Text,
        status -> Text,
        valid_from -> Nullable<Text>,
        valid_to -> Nullable<Text>,
    }
}

diesel::table! {
    feed_head (id) {
        id -> Integer,
        seq -> BigInt,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        at -> Text,
        actor -> Text,
        kind -> Text,
        subject_id -> Nullable<Text>,
        county_code -> Nullable<Text>,
        changes -> Text,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    audit (id) {
        id -> BigInt,
        at -> Text,
        token_id -> Nullable<Text>,
        role -> Nullable<Text>,
        action -> Text,
        subject_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        document -> Nullable<Text>,
        request_id -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    tokens (id) {
        id -> Text,
        hash -> Text,
        role -> Text,
        scope -> Nullable<Text>,
        label -> Nullable<Text>,
        created_at -> Text,
        expires_at -> Nullable<Text>,
        revoked_at -> Nullable<Text>,
        last_used_at -> Nullable<Text>,
    }
}

diesel::table! {
    certificates (code) {
        code -> Text,
        address_id -> Text,
        issued_at -> Text,
        token_id -> Nullable<Text>,
        content -> Text,
    }
}

diesel::table! {
    rate_usage (node, token_id) {
        node -> Text,
        token_id -> Text,
        at -> BigInt,
        count -> BigInt,
    }
}

diesel::table! {
    name_cases (subject_id) {
        subject_id -> Text,
        reason -> Nullable<Text>,
        applicant -> Nullable<Text>,
        documents -> Text,
        proposed_at -> Nullable<Text>,
        proposed_by -> Nullable<Text>,
        approved_at -> Nullable<Text>,
        approval_document -> Nullable<Text>,
        announced_on -> Nullable<Text>,
        announcement_document -> Nullable<Text>,
        retired_at -> Nullable<Text>,
        retire_document -> Nullable<Text>,
        retire_reason -> Nullable<Text>,
        returned_at -> Nullable<Text>,
        return_reason -> Nullable<Text>,
    }
}

diesel::table! {
    naming_words (rule, word) {
        rule -> Text,
        word -> Text,
        note -> Nullable<Text>,
        added_at -> Text,
        added_by -> Text,
    }
}

diesel::table! {
    division_changes (id) {
        id -> Text,
        code -> Text,
        name -> Nullable<Text>,
        aliases -> Nullable<Text>,
        reason -> Nullable<Text>,
        status -> Text,
        proposed_at -> Text,
        proposed_by -> Text,
        approved_at -> Nullable<Text>,
        approval_document -> Nullable<Text>,
        merge_into -> Nullable<Text>,
        parent_code -> Nullable<Text>,
        new_code -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    divisions,
    thoroughfares,
    localities,
    former_names,
    plates,
    idempotency,
    buildings,
    units,
    rooms,
    feed_head,
    events,
    audit,
    tokens,
    certificates,
    rate_usage,
    name_cases,
    naming_words,
    division_changes,
);
