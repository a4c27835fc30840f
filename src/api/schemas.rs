//! The JSON Schemas (OpenAPI 3.1, JSON Schema 2020-12) of every request and answer body,
//! by name, for `components/schemas` of `/openapi.json`. The route tables name them; they
//! are written here by hand from the request structs and answer shapes of `api` and `app`,
//! and `tests/openapi.rs` checks every answer of a whole session against them.
//!
//! Requests that refuse unknown fields say so (`additionalProperties: false`); answers may
//! carry more fields than listed, as SPEC §5 allows. An optional request field that the
//! server reads as `Option` also takes `null`.

use serde_json::{json, Map, Value};

/// A reference to another schema of this file.
fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

fn nullable_ref(name: &str) -> Value {
    nullable(r(name))
}

fn string() -> Value {
    json!({"type": "string"})
}

fn opt_string() -> Value {
    json!({"type": ["string", "null"]})
}

fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn date() -> Value {
    json!({"type": "string", "format": "date"})
}

fn time() -> Value {
    json!({"type": "string", "format": "date-time"})
}

/// An answer object: these fields always sent, more allowed.
fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}

/// A request object whose server refuses unknown fields.
fn closed(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties, "additionalProperties": false})
}

/// `{"items": [...]}`, the shape of every list.
fn items_of(name: &str) -> Value {
    object(&["items"], json!({"items": array(r(name))}))
}

/// Every field but `optional` required: the answer structs send all their fields, `null`
/// where empty.
fn all_of(properties: Value, optional: &[&str]) -> Value {
    let required: Vec<String> = properties
        .as_object()
        .map(|o| o.keys().filter(|k| !optional.contains(&k.as_str())).cloned().collect())
        .unwrap_or_default();
    json!({"type": "object", "required": required, "properties": properties})
}

/// The schemas, by name.
pub fn schemas() -> Map<String, Value> {
    let mut s = Map::new();
    let mut put = |name: &str, schema: Value| {
        s.insert(name.to_string(), schema);
    };

    // ---- shared pieces ----
    put(
        "Problem",
        json!({
            "type": "object",
            "description": "RFC 9457 problem；detail 为中文说明",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string", "description": "urn:menpai:problem:{code}"},
                "title": string(),
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": string(),
                "violations": array(r("Violation")),
                "conflicts": array(object(&["id"], json!({"id": string(), "canonical": opt_string(), "status": string()}))),
                "report": {"type": "object"}
            }
        }),
    );
    put(
        "RuleProblem",
        json!({"allOf": [r("Problem"), {"required": ["violations"], "properties": {"violations": {"minItems": 1}}}]}),
    );
    put(
        "ImportProblem",
        json!({"allOf": [r("Problem"), {
            "required": ["report"],
            "properties": {"report": {"anyOf": [r("ImportOutcome"), r("ImportParseReport")]}}
        }]}),
    );
    put(
        "Violation",
        json!({
            "type": "object",
            "description": "一条违反的规则：rule 为机器可读代码，message 为中文说明",
            "required": ["rule", "message"],
            "properties": {"rule": string(), "message": string(), "conflict_id": opt_string()}
        }),
    );
    put(
        "Geometry",
        json!({
            "type": "object",
            "description": "GeoJSON 几何，经纬度（CGCS2000 ≈ WGS84）",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "MultiPoint", "GeometryCollection"]},
                "coordinates": {"type": "array"}
            }
        }),
    );
    put(
        "LonLat",
        json!({"type": "array", "description": "[经度, 纬度]", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}),
    );
    put("AddressLevel", json!({"enum": ["division", "thoroughfare", "locality", "plate", "building", "unit", "room"]}));
    put("DivisionLevel", json!({"enum": ["province", "prefecture", "county", "township", "village"]}));
    put(
        "AddressStatus",
        json!({
            "description": "名称与楼栋单元房间：proposed/active/retired；门牌：reserved/issued/retired；区划：active/retired（并入或改代码后）",
            "enum": ["proposed", "active", "retired", "reserved", "issued"]
        }),
    );
    put("NameStatus", json!({"enum": ["proposed", "active", "retired"]}));
    put("Side", json!({"enum": ["left", "right"], "description": "沿道路编号方向：左单右双"}));
    put("AddressChange", all_of(json!({"id": string(), "old": opt_string(), "new": opt_string()}), &[]));

    // ---- resolution ----
    let query = json!({"type": "string", "maxLength": 512});
    put("ResolveRequest", closed(&["q"], json!({"q": query, "at": nullable(date())})));
    put(
        "BatchRequest",
        closed(
            &["queries"],
            json!({"queries": {"type": "array", "items": query, "maxItems": 10000}, "at": nullable(date())}),
        ),
    );
    put(
        "Resolution",
        all_of(
            json!({
                "status": {"enum": ["matched", "partial", "ambiguous", "not_found"]},
                "address": nullable_ref("ResolvedAddress"),
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "corrections": array(all_of(json!({
                    "kind": {"type": "string", "description": "former_name、homophone、completed_level、numeral、short_form、informal_name、pinyin、traditional、sub_number、building、unit、room、split、township、replaced"},
                    "from": string(),
                    "to": string()
                }), &[])),
                "unmatched": opt_string(),
                "recognised": array(all_of(json!({"code": string(), "name": string(), "level": r("DivisionLevel")}), &[])),
                "candidates": array(all_of(json!({"id": string(), "canonical": string(), "confidence": {"type": "number"}}), &[])),
                "outside": all_of(json!({
                    "code": {"type": "string", "description": "GB/T 2260 代码，6 位；乡级 9 位"},
                    "name": string(),
                    "level": r("DivisionLevel"),
                    "chain": {"type": "array", "items": string(), "description": "自省级起的全称"}
                }), &[])
            }),
            &["outside"],
        ),
    );
    put(
        "ResolvedAddress",
        all_of(json!({"id": string(), "canonical": string(), "level": r("AddressLevel"), "pinyin": string()}), &[]),
    );
    put("BatchResults", object(&["results"], json!({"results": array(r("Resolution"))})));
    put(
        "Suggestions",
        object(
            &["items"],
            json!({"items": array(all_of(json!({
                "id": string(),
                "canonical": string(),
                "level": r("AddressLevel"),
                "pinyin": string(),
                "name": {"type": "string", "description": "匹配的名称（可能是曾用名）"},
                "current_name": {"type": "boolean", "description": "name 是否为现名"},
                "status": opt_string()
            }), &[]))}),
        ),
    );
    let nearby = all_of(
        json!({"id": string(), "canonical": string(), "level": r("AddressLevel"), "pinyin": string(), "distance_m": {"type": "number", "minimum": 0}}),
        &[],
    );
    put("Nearest", all_of(json!({"plate": nullable(nearby.clone()), "thoroughfare": nullable(nearby)}), &[]));
    put("ValidateRequest", closed(&["address"], json!({"address": query, "at": nullable(date())})));
    put(
        "AddressValidation",
        all_of(
            json!({
                "ok": {"type": "boolean", "description": "仅当文本是一个已编发的现行门牌（楼栋、单元、房间）地址时为 true"},
                "reasons": array(all_of(json!({
                    "code": {"type": "string", "description": "not_found、outside（不在本登记范围，message 写明所在区划）、ambiguous、never_issued、not_a_door、retired、not_issued、renamed …"},
                    "message": string()
                }), &[])),
                "canonical": {"type": ["string", "null"], "description": "应登记的标准地址"},
                "id": opt_string(),
                "resolution": r("Resolution")
            }),
            &[],
        ),
    );

    // ---- the register ----
    put(
        "Division",
        all_of(
            json!({
                "code": string(), "name": string(), "level": r("DivisionLevel"), "parent_code": opt_string(),
                "aliases": array(string()), "status": {"enum": ["active", "retired"]},
                "replaced_by": {"type": "string", "description": "并入的或新代码的区划（已撤销时）"}
            }),
            &["replaced_by"],
        ),
    );
    put("DivisionList", items_of("Division"));
    put(
        "HistoryEntry",
        all_of(
            json!({"canonical": string(), "valid_from": nullable(date()), "valid_to": nullable(date()), "document": opt_string()}),
            &[],
        ),
    );
    put(
        "Address",
        all_of(
            json!({
                "id": string(),
                "canonical": string(),
                "level": r("AddressLevel"),
                "status": r("AddressStatus"),
                "pinyin": string(),
                "geometry": nullable_ref("Geometry"),
                "replaced_by": opt_string(),
                "parent_id": opt_string(),
                "history": array(r("HistoryEntry")),
                "division": r("Division")
            }),
            &["division"],
        ),
    );
    put(
        "AddressChildren",
        object(
            &["items"],
            json!({"items": array(all_of(json!({
                "id": string(),
                "canonical": string(),
                "level": r("AddressLevel"),
                "status": r("AddressStatus"),
                "number": {"type": ["integer", "string"], "description": "门牌号；楼栋、单元、房间编号；区划为名称"},
                "geometry": nullable_ref("Geometry"),
                "sub": {"type": ["integer", "null"]},
                "side": nullable_ref("Side"),
                "measure_m": {"type": ["number", "null"]}
            }), &["sub", "side", "measure_m"]))}),
        ),
    );
    put(
        "Certificate",
        all_of(
            json!({
                "code": {"type": "string", "description": "验证码，凭 /v1/certificates/{code} 查验"},
                "issued_at": time(),
                "authority": string(),
                "address_id": string(),
                "level": r("AddressLevel"),
                "status": r("AddressStatus"),
                "current": string(),
                "pinyin": string(),
                "history": array(r("HistoryEntry"))
            }),
            &[],
        ),
    );
    put("CertificatePage", json!({"type": "string", "description": "可打印的地址变更证明（HTML）"}));
    put("CertificateCheck", all_of(json!({"valid": {"const": true}, "certificate": r("Certificate")}), &[]));
    put(
        "EventPage",
        all_of(
            json!({
                "events": array(all_of(json!({
                    "seq": {"type": "integer", "minimum": 1},
                    "at": time(),
                    "actor": string(),
                    "actor_label": {"type": "string", "description": "经办人：令牌名称（人员或科室）及部门；服务本身为“系统”"},
                    "kind": {"enum": crate::domain::EventKind::ALL.map(|k| k.as_str())},
                    "kind_label": {"type": "string", "description": "变更类型的中文名称（编发门牌）"},
                    "subject_id": opt_string(),
                    "changes": array(r("AddressChange")),
                    "reason": {"type": ["string", "null"], "description": "变更的理由（如注销理由），没有时为 null"}
                }), &[])),
                "last_seq": {"type": "integer", "minimum": 0, "description": "登记册中最新的 seq"},
                "scanned_through": {"type": "integer", "minimum": 0, "description": "下次可从此 seq 之后读起"}
            }),
            &[],
        ),
    );

    // ---- import and export ----
    let former_names =
        array(closed(&["name", "until"], json!({"name": string(), "until": date(), "document": string()})));
    let label =
        json!({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1, "maxLength": 16}]});
    let room = json!({"anyOf": [label.clone(), object(&["number"], json!({"number": label, "id": string()}))]});
    let unit = object(&["number"], json!({"number": label, "id": string(), "rooms": array(room)}));
    let building = object(&["number"], json!({"number": label, "id": string(), "units": array(unit)}));
    let name_status = json!({"enum": ["proposed", "active", "retired"]});
    let properties = |kind: &str, required: &[&str], props: Value| {
        let mut p = props;
        p["kind"] = json!({"const": kind});
        let mut req = vec!["kind"];
        req.extend_from_slice(required);
        object(&req, p)
    };
    let division_props = properties(
        "division",
        &["code", "name", "level"],
        json!({"code": string(), "name": string(), "level": r("DivisionLevel"), "parent_code": string(), "aliases": array(string())}),
    );
    let named = |home: &str| {
        let mut p = json!({
            "id": string(), "ref": string(), "name": string(), "former_names": former_names.clone(),
            "pinyin": string(), "status": name_status.clone(), "replaced_by": string()
        });
        p[home] = string();
        p
    };
    let mut thoroughfare = named("county_code");
    thoroughfare["numbering"] = json!({"type": "object", "required": ["scheme"]});
    let thoroughfare_props = properties("thoroughfare", &["ref", "name", "county_code"], thoroughfare);
    let locality_props = properties("locality", &["ref", "name", "village_code"], named("village_code"));
    let plate_props = properties(
        "plate",
        &["number"],
        json!({
            "id": string(), "thoroughfare_ref": string(), "locality_ref": string(),
            "number": {"type": "integer"}, "sub": {"type": "integer"}, "township_code": string(),
            "status": {"enum": ["reserved", "issued", "retired"]}, "replaced_by": string(),
            "buildings": array(building)
        }),
    );
    let feature = |props: Value| {
        object(
            &["type", "geometry", "properties"],
            json!({"type": {"const": "Feature"}, "geometry": nullable_ref("Geometry"), "properties": props}),
        )
    };
    let collection = |features: Value| {
        object(&["type", "features"], json!({"type": {"const": "FeatureCollection"}, "features": array(features)}))
    };
    put(
        "ImportFile",
        json!({"allOf": [collection(feature(json!({"oneOf": [division_props, thoroughfare_props, locality_props, plate_props]})))],
               "description": "一个 GeoJSON FeatureCollection（UTF-8）；properties.kind 说明每个要素是什么（SPEC §4）"}),
    );
    // An export is a file import takes back, with every address's ID and status.
    let exported =
        |kind: &str| json!({"if": {"properties": {"kind": {"const": kind}}}, "then": {"required": ["id", "status"]}});
    put(
        "RegisterExport",
        json!({"allOf": [
            r("ImportFile"),
            collection(feature(json!({"allOf": [exported("thoroughfare"), exported("locality"), exported("plate")]})))
        ]}),
    );
    put(
        "ImportOutcome",
        all_of(
            json!({
                "ok": {"type": "boolean"},
                "strict": {"type": "boolean"},
                "summary": all_of(json!({
                    "features": {"type": "integer"}, "created": {"type": "integer"}, "unchanged": {"type": "integer"},
                    "nested_created": {"type": "integer"}, "quality_problems": {"type": "integer"}, "fatal_problems": {"type": "integer"}
                }), &[]),
                "seq": {"type": ["integer", "null"], "description": "导入产生的事件；无新增时为 null"},
                "features": array(all_of(json!({
                    "index": {"type": "integer", "minimum": 0},
                    "kind": {"enum": ["division", "thoroughfare", "locality", "plate"]},
                    "id": string(),
                    "ref": string(),
                    "action": {"enum": ["created", "unchanged", "refused"]},
                    "nested_created": {"type": "integer", "minimum": 1},
                    "problems": array(all_of(json!({
                        "code": string(),
                        "severity": {"enum": ["fatal", "quality"]},
                        "message": string(),
                        "conflict_id": string()
                    }), &["conflict_id"]))
                }), &["ref", "nested_created", "problems"]))
            }),
            &[],
        ),
    );
    put(
        "ImportParseReport",
        all_of(
            json!({
                "ok": {"const": false},
                "strict": {"type": "boolean"},
                "problems": array(all_of(json!({"index": {"type": ["integer", "null"]}, "code": string(), "message": string()}), &[]))
            }),
            &[],
        ),
    );

    // ---- audit and tokens ----
    put("AuditPage", items_of("AuditEntry"));
    put(
        "AuditEntry",
        all_of(
            json!({
                "id": {"type": "integer"}, "at": time(), "token_id": opt_string(), "role": opt_string(),
                "action": string(), "subject_id": opt_string(), "reason": opt_string(), "document": opt_string(),
                "request_id": opt_string(), "detail": opt_string()
            }),
            &[],
        ),
    );
    let role = json!({"enum": ["admin", "civil_affairs", "police", "housing", "commerce", "reader"]});
    put(
        "Token",
        all_of(
            json!({
                "id": string(), "role": role, "scope": opt_string(), "label": opt_string(), "created_at": time(),
                "expires_at": nullable(time()), "revoked_at": nullable(time()), "last_used_at": nullable(time())
            }),
            &[],
        ),
    );
    put("TokenList", items_of("Token"));
    put(
        "TokenRequest",
        closed(
            &["role"],
            json!({
                "role": role,
                "scope": {"type": ["string", "null"], "description": "县市或乡镇（街道）代码：范围外的变更被拒绝（403）"},
                "label": opt_string(),
                "expires_at": {"type": ["string", "null"], "description": "RFC 3339 时间，或 YYYY-MM-DD（北京时间当日结束）"}
            }),
        ),
    );
    put(
        "NewToken",
        json!({"allOf": [r("Token"), {"required": ["token"], "properties": {"token": {"type": "string", "description": "令牌本身，只此一次给出"}}}]}),
    );
    put("TokenRevoked", all_of(json!({"id": string(), "revoked": {"const": true}}), &[]));

    // ---- naming ----
    let kind = json!({"enum": ["thoroughfare", "locality"]});
    let name_field = json!({"type": "string", "minLength": 1, "description": "只由文字组成，不含空格、标点或符号"});
    let pinyin_field =
        json!({"type": ["string", "null"], "description": "罗马字母拼写的更正（拉丁字母、ü、空格、隔音符号、连字符）"});
    put(
        "NameCheckRequest",
        closed(
            &["kind", "name"],
            json!({"kind": kind, "name": name_field, "county_code": opt_string(), "village_code": opt_string(), "pinyin": pinyin_field}),
        ),
    );
    put(
        "NameRule",
        json!({"enum": ["duplicate", "homophone", "no_generic", "no_specific", "digit_or_latin", "too_long", "repeated_generic", "reserved_word", "personal_name", "foreign_name", "outside_county"]}),
    );
    put("NameViolation", all_of(json!({"rule": r("NameRule"), "message": string(), "conflict_id": opt_string()}), &[]));
    put(
        "NameWarning",
        all_of(
            json!({"rule": {"enum": ["pending", "similar", "former_name", "neighbouring_county"]}, "message": string(), "conflict_id": opt_string()}),
            &[],
        ),
    );
    put("Reading", all_of(json!({"char": string(), "used": string(), "readings": array(string())}), &[]));
    put(
        "NameEvaluation",
        all_of(
            json!({
                "ok": {"type": "boolean"}, "name": string(), "specific": string(), "generic": opt_string(),
                "pinyin": string(), "violations": array(r("NameViolation")), "warnings": array(r("NameWarning")),
                "readings": array(r("Reading"))
            }),
            &[],
        ),
    );
    let document_kind = json!({"enum": ["evaluation", "expert_review", "public_consultation", "other"]});
    put("CaseDocument", all_of(json!({"kind": document_kind, "reference": string()}), &[]));
    put(
        "ProposalRequest",
        closed(
            &["kind", "name", "geometry"],
            json!({
                "kind": kind, "name": name_field, "county_code": opt_string(), "village_code": opt_string(),
                "pinyin": pinyin_field,
                "geometry": {"allOf": [r("Geometry")], "description": "道路：LineString 或 MultiLineString（方向即编号方向）；村组：Point 或 Polygon"},
                "reason": {"type": ["string", "null"], "description": "命名理由及含义"},
                "applicant": opt_string(),
                "documents": array(json!({"anyOf": [
                    {"type": "string", "description": "文号（种类为 other）"},
                    {"type": "object", "required": ["kind", "reference"], "properties": {"kind": document_kind, "reference": string()}}
                ]}))
            }),
        ),
    );
    put(
        "NameRecord",
        all_of(
            json!({
                "id": {"type": "string", "description": "道路或村组的地址 ID（thr_…/loc_…）"},
                "kind": kind, "name": string(), "specific": string(), "generic": opt_string(), "pinyin": string(),
                "pinyin_override": opt_string(), "status": r("NameStatus"), "canonical": string(),
                "county_code": opt_string(), "village_code": opt_string(), "replaced_by": opt_string(),
                "former_names": array(all_of(json!({"name": string(), "until": date(), "document": opt_string()}), &[])),
                "geometry": r("Geometry"),
                "reason": opt_string(), "applicant": opt_string(), "documents": array(r("CaseDocument")),
                "proposed_at": nullable(time()), "proposed_by": opt_string(), "approved_at": nullable(time()),
                "approval_document": opt_string(), "announced_on": nullable(date()), "announcement_document": opt_string(),
                "retired_at": nullable(time()), "retire_document": opt_string(), "retire_reason": opt_string(),
                "returned_at": nullable(time()), "return_reason": opt_string(),
                "announce_by": {"anyOf": [date(), {"type": "null"}], "description": "已批准未公告的名称，公告的最后期限"}
            }),
            &[],
        ),
    );
    put(
        "ProposalOutcome",
        json!({"allOf": [r("NameRecord"), {
            "required": ["warnings", "readings"],
            "properties": {"warnings": array(r("NameWarning")), "readings": array(r("Reading"))}
        }]}),
    );
    put(
        "NamePage",
        all_of(
            json!({"items": array(r("NameRecord")), "next_after": {"type": ["string", "null"], "description": "下一页的 after；最后一页为 null"}}),
            &[],
        ),
    );
    let word_rule = json!({"enum": ["reserved_word", "personal_name", "foreign_name"]});
    put(
        "NamingWord",
        all_of(
            json!({"rule": word_rule, "word": string(), "note": opt_string(), "added_at": time(), "added_by": string()}),
            &[],
        ),
    );
    put(
        "NamingWords",
        all_of(
            json!({"builtin": array(all_of(json!({"rule": word_rule, "word": string()}), &[])), "added": array(r("NamingWord"))}),
            &[],
        ),
    );
    put(
        "NamingWordRequest",
        closed(
            &["rule", "word"],
            json!({"rule": word_rule, "word": {"type": "string", "minLength": 1, "maxLength": 20}, "note": opt_string()}),
        ),
    );
    put(
        "NamingWordRemoval",
        closed(
            &["rule", "word", "reason"],
            json!({"rule": word_rule, "word": {"type": "string", "minLength": 1}, "reason": {"type": "string", "minLength": 1}}),
        ),
    );
    put(
        "DivisionChangeRequest",
        closed(
            &["code"],
            json!({
                "code": {"type": "string", "description": "乡镇（街道）或村（社区）代码"},
                "name": {"type": ["string", "null"], "description": "新名称（如乡改镇）"},
                "aliases": {"type": ["array", "null"], "items": string(), "description": "新的简称，替换原有简称"},
                "merge_into": {"type": ["string", "null"], "description": "并入的同级区划代码（单独申报）"},
                "parent_code": {"type": ["string", "null"], "description": "改隶：新的上级区划代码"},
                "new_code": {"type": ["string", "null"], "description": "新的区划代码（原代码撤销，由新代码取代）"},
                "reason": opt_string()
            }),
        ),
    );
    put(
        "DivisionChange",
        all_of(
            json!({
                "id": string(), "code": string(), "name": opt_string(), "aliases": {"type": ["array", "null"], "items": string()},
                "merge_into": string(), "parent_code": string(), "new_code": string(),
                "reason": opt_string(), "status": {"enum": ["proposed", "approved"]}, "proposed_at": time(),
                "proposed_by": string(), "approved_at": nullable(time()), "approval_document": opt_string(),
                "changed": {"type": "array", "items": r("AddressChange"), "description": "批准时：标准地址随之改变的每个地址"}
            }),
            &["changed", "merge_into", "parent_code", "new_code"],
        ),
    );
    put("DivisionChangeList", items_of("DivisionChange"));
    let document = json!({"type": "string", "minLength": 1, "description": "批准文号"});
    put("DocumentRequest", closed(&["document"], json!({"document": document})));
    put("ApprovalRequest", closed(&["document"], json!({"document": document, "announced_on": nullable(date())})));
    put(
        "AnnouncementRequest",
        closed(
            &[],
            json!({"date": {"anyOf": [date(), {"type": "null"}], "description": "公告日期，缺省为今天"}, "document": opt_string()}),
        ),
    );
    put(
        "RenamingRequest",
        closed(
            &["name", "document"],
            json!({"name": name_field, "document": document, "pinyin": pinyin_field, "reason": opt_string()}),
        ),
    );
    put(
        "NameRetirementRequest",
        closed(
            &["document", "reason"],
            json!({"document": document, "reason": {"type": "string", "minLength": 1}, "replaced_by": {"type": ["string", "null"], "description": "替代的同类名称 ID"}}),
        ),
    );
    put(
        "NameReturnRequest",
        closed(&["reason"], json!({"reason": {"type": "string", "minLength": 1, "description": "退回理由，提出者可见"}})),
    );
    put(
        "ReinstatementRequest",
        closed(&["reason"], json!({"reason": {"type": "string", "minLength": 1}, "document": opt_string()})),
    );
    put(
        "NameCorrectionRequest",
        json!({
            "allOf": [closed(&["reason"], json!({
                "reason": {"type": "string", "minLength": 1},
                "name": {"type": ["string", "null"]},
                "pinyin": {"type": ["string", "null"], "description": "空串去掉拼写更正"},
                "geometry": nullable_ref("Geometry")
            }))],
            "anyOf": [{"required": ["name"]}, {"required": ["pinyin"]}, {"required": ["geometry"]}]
        }),
    );

    // ---- plates ----
    let plate_fields = json!({
        "thoroughfare_id": opt_string(),
        "locality_id": opt_string(),
        "location": nullable_ref("LonLat"),
        "township_code": {"type": ["string", "null"], "description": "道路上的门牌必填；村组上的门牌不可给出"},
        "number": {"type": ["integer", "null"]},
        "sub": {"type": ["integer", "null"], "description": "附号"}
    });
    let on_street = json!([{"required": ["thoroughfare_id"]}, {"required": ["locality_id"]}]);
    let plate_request = |required: &[&str], about: &str| {
        let mut schema = closed(required, plate_fields.clone());
        schema["oneOf"] = on_street.clone();
        schema["description"] = json!(about);
        schema
    };
    put("PlateSuggestRequest", plate_request(&["location"], "不给 township_code 时，取该道路上最近门牌的乡镇"));
    put("PlateIssueRequest", plate_request(&["location"], "不给 number 时编发建议号码"));
    put("PlateValidateRequest", plate_request(&["location", "number"], "校验号码是否适合该位置"));
    put(
        "PlateSuggestion",
        all_of(
            json!({
                "number": {"type": "integer"}, "sub": {"type": ["integer", "null"]}, "side": nullable_ref("Side"),
                "measure_m": {"type": ["number", "null"]}, "township_code": opt_string(), "canonical": string()
            }),
            &[],
        ),
    );
    put(
        "IssuedPlate",
        all_of(
            json!({
                "id": string(), "number": {"type": "integer"}, "sub": {"type": ["integer", "null"]}, "canonical": string(),
                "status": {"const": "issued"}, "side": nullable_ref("Side"), "measure_m": {"type": ["number", "null"]},
                "township_code": opt_string()
            }),
            &[],
        ),
    );
    put(
        "PlateValidation",
        all_of(
            json!({
                "ok": {"type": "boolean"}, "violations": array(r("Violation")), "side": nullable_ref("Side"),
                "measure_m": {"type": ["number", "null"]}, "distance_m": {"type": ["number", "null"]}
            }),
            &[],
        ),
    );
    put("PlanRequest", {
        let mut schema = closed(
            &["entrances"],
            json!({
                "thoroughfare_id": opt_string(),
                "locality_id": opt_string(),
                "township_code": opt_string(),
                "entrances": {"type": "array", "items": r("LonLat"), "minItems": 1, "maxItems": 2000},
                "dry_run": {"type": ["boolean", "null"], "description": "只试编（200），不预留"},
                "reserve_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 10080, "description": "预留时长，缺省 1440"}
            }),
        );
        schema["oneOf"] = on_street.clone();
        schema
    });
    let planned = |id: Value| {
        all_of(
            json!({
                "id": id, "location": r("LonLat"), "number": {"type": "integer"}, "sub": {"type": ["integer", "null"]},
                "side": nullable_ref("Side"), "measure_m": {"type": ["number", "null"]}, "canonical": string()
            }),
            &[],
        )
    };
    put(
        "PlanPreview",
        all_of(json!({"dry_run": {"const": true}, "plates": array(planned(json!({"type": "null"})))}), &[]),
    );
    put(
        "PlanReserved",
        all_of(
            json!({
                "dry_run": {"const": false}, "plan_id": string(), "status": {"const": "reserved"},
                "reserved_until": time(), "plates": array(planned(string()))
            }),
            &[],
        ),
    );
    put(
        "PlanIssued",
        all_of(
            json!({
                "plan_id": string(), "status": {"const": "issued"},
                "plates": array(all_of(json!({"id": string(), "canonical": opt_string(), "status": {"const": "issued"}}), &[]))
            }),
            &[],
        ),
    );
    put(
        "PlateRetirementRequest",
        closed(
            &["reason"],
            json!({"reason": {"type": "string", "minLength": 1}, "replaced_by": {"type": ["string", "null"], "description": "取代它的已编发门牌 ID"}}),
        ),
    );
    put("PartRetirementRequest", closed(&["reason"], json!({"reason": {"type": "string", "minLength": 1}})));
    put(
        "NumberCorrectionRequest",
        closed(
            &["number", "reason"],
            json!({"number": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1, "maxLength": 16}], "description": "新编号（5、B、501；可带栋、单元、室）"}, "reason": {"type": "string", "minLength": 1}}),
        ),
    );
    put(
        "PlateMoveRequest",
        closed(&["location", "reason"], json!({"location": r("LonLat"), "reason": {"type": "string", "minLength": 1}})),
    );
    put(
        "NumberRequest",
        closed(
            &["number"],
            json!({"number": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1, "maxLength": 16}], "description": "楼栋、单元或房间编号：整数或短字符串（B8、501）"}}),
        ),
    );
    put(
        "NewAddress",
        all_of(
            json!({"id": string(), "canonical": string(), "level": r("AddressLevel"), "pinyin": string(), "status": {"const": "active"}}),
            &[],
        ),
    );
    put(
        "PlateOrders",
        object(
            &["items"],
            json!({"items": array(all_of(json!({
                "id": string(),
                "face": {"type": "string", "description": "门牌上的文字：道路或村组名称与门牌号（航空大道123号附1号）"},
                "face_pinyin": {"type": "string", "description": "门牌上的拼音"},
                "street": string(),
                "number": {"type": "integer"}, "sub": {"type": ["integer", "null"]},
                "size": {"type": "string", "description": "门牌规格（MENPAI_PLATE_SIZE）"},
                "quantity": {"type": "integer", "minimum": 1},
                "canonical": string(),
                "pinyin": string(), "location": r("LonLat"), "issued_at": time(), "township": opt_string()
            }), &[]))}),
        ),
    );
    put(
        "CleanupReport",
        all_of(
            json!({
                "county_code": string(),
                "summary": {
                    "type": "object",
                    "description": "按乡镇代码（无乡镇为 -）、再按规则计数",
                    "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}
                },
                "findings": array(all_of(json!({
                    "rule": {"type": "string", "description": "parity、order、distance、no_plates"},
                    "township_code": opt_string(), "township": opt_string(), "thoroughfare_id": string(),
                    "thoroughfare": string(), "plate_id": opt_string(), "plate": opt_string(), "canonical": string(),
                    "message": string(), "conflict_id": opt_string(), "location": nullable_ref("LonLat")
                }), &[]))
            }),
            &[],
        ),
    );
    put("CleanupCsv", json!({"type": "string", "description": "同一报告的 CSV（UTF-8）"}));

    // ---- outside /v1 ----
    put("Health", all_of(json!({"status": {"const": "ok"}, "last_seq": {"type": "integer", "minimum": 0}}), &[]));
    put("Metrics", json!({"type": "string", "description": "Prometheus 文本格式"}));
    put("OpenApi", object(&["openapi", "info", "paths", "components"], json!({"openapi": {"const": "3.1.0"}})));
    s
}
