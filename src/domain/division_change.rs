//! Changes of townships and villages, planned on the register before anything is written:
//! a new name or short forms (乡改镇), a merger into another division (合村并组), a move to
//! another parent, a new code. The plan is the register as it will stand, so the rules can
//! be checked on it and every address under the division re-texted from it.
//!
//! A division that ends (merged, or replaced by a new code) is kept as it last stood,
//! retired, with `replaced_by`; what stood under it moves to its successor and keeps the old
//! parent among its former names, so the register can still answer as of an earlier date.
//! Counties and above are changed by the State Council and the province, not here.

use super::model::*;
use super::naming::{self, NameInUse, Rule, Violation, WordList};
use super::event_kind::EventKind;
use super::register::Register;

/// What a change asks. `merge_into` stands alone; the others combine (a village moved to
/// another township usually gets a new code too).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DivisionEdit {
    pub code: String,
    pub name: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub merge_into: Option<String>,
    pub parent_code: Option<String>,
    pub new_code: Option<String>,
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    NotFound(String),
    Invalid(String),
    /// The naming rules: the name concerned and what it breaks.
    Broken(String, Vec<Violation>),
}

/// The register once the change holds, and what it touched.
#[derive(Debug, Clone)]
pub struct Plan {
    pub after: Register,
    /// The event's kind: `division.renamed`, `division.merged`, `division.moved`,
    /// `division.recoded` or `division.changed` (short forms only).
    pub kind: EventKind,
    /// The code the division's addresses stand under afterwards.
    pub successor: String,
    /// The code that ceased (a merger, a new code), and the one that began.
    pub retired: Option<String>,
    pub created: Option<String>,
    /// Every record whose row changes: divisions, localities, plates (their township).
    pub touched: Vec<String>,
}

fn home_levels(d: &Division) -> Result<(), Refusal> {
    if matches!(d.level, DivisionLevel::Township | DivisionLevel::Village) {
        return Ok(());
    }
    Err(Refusal::Invalid(format!(
        "{}是{}级区划，其变更由国务院或省级人民政府批准，不在此办理",
        d.name,
        d.level.as_str()
    )))
}

fn active<'a>(reg: &'a Register, code: &str, what: &str) -> Result<&'a Division, Refusal> {
    let d = reg.divisions.get(code).ok_or_else(|| Refusal::NotFound(format!("{what} {code} 不存在")))?;
    if d.status != NameStatus::Active {
        return Err(Refusal::Invalid(format!("{what} {code}（{}）已撤销", d.name)));
    }
    Ok(d)
}

/// The current divisions under `parent`, but `except`.
fn siblings<'a>(reg: &'a Register, parent: Option<&str>, except: &str) -> Vec<NameInUse<'a>> {
    parent
        .map(|p| reg.children(p))
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.code != except && s.status == NameStatus::Active)
        .map(|s| NameInUse { id: &s.code, name: &s.name })
        .collect()
}

/// Plans `edit` on `reg`, as of the date `on` with the approving `document` (None while
/// only proposed).
pub fn plan(
    reg: &Register,
    words: &WordList,
    edit: &DivisionEdit,
    on: &str,
    document: Option<&str>,
) -> Result<Plan, Refusal> {
    let d = active(reg, &edit.code, "区划代码")?;
    home_levels(d)?;
    let reshaping = edit.name.is_some() || edit.aliases.is_some() || edit.parent_code.is_some();
    if edit.merge_into.is_some() && (reshaping || edit.new_code.is_some()) {
        return Err(Refusal::Invalid("并入其他区划（merge_into）不能与更名、改隶或改代码同时申请".into()));
    }
    if !reshaping && edit.merge_into.is_none() && edit.new_code.is_none() {
        return Err(Refusal::Invalid(
            "区划变更须至少给出 name、aliases、merge_into、parent_code、new_code 之一".into(),
        ));
    }
    let former = |d: &Division, parent_moved: bool| FormerName {
        name: d.name.clone(),
        until: on.to_string(),
        document: document.map(str::to_string),
        parent_code: if parent_moved { d.parent_code.clone() } else { None },
    };
    let mut after = reg.clone();
    if let Some(target) = &edit.merge_into {
        let t = active(reg, target, "并入的区划")?;
        if t.code == d.code || t.level != d.level {
            return Err(Refusal::Invalid(format!("{}只能并入另一个同级区划，{}不是", d.name, t.name)));
        }
        let kids = move_children(reg, &mut after, &d.code, &t.code, on, document)?;
        {
            let mut gone = after.divisions.get_mut(&d.code).expect("the division exists");
            gone.status = NameStatus::Retired;
            gone.replaced_by = Some(t.code.clone());
        }
        // The successor answers to the merged division's names too, so old texts resolve.
        let merged_names: Vec<String> = std::iter::once(d.name.clone()).chain(d.aliases.iter().cloned()).collect();
        {
            let mut t_after = after.divisions.get_mut(&t.code).expect("the target exists");
            for n in merged_names {
                if n != t_after.name && !t_after.aliases.contains(&n) {
                    t_after.aliases.push(n);
                }
            }
        }
        let mut touched = vec![d.code.clone(), t.code.clone()];
        touched.extend(kids);
        return Ok(Plan {
            after,
            kind: EventKind::DivisionMerged,
            successor: t.code.clone(),
            retired: Some(d.code.clone()),
            created: None,
            touched,
        });
    }

    let mut next = d.clone();
    let parent_moved = match &edit.parent_code {
        Some(p) if Some(p) == d.parent_code.as_ref() => {
            return Err(Refusal::Invalid(format!("{}已隶属于 {p}", d.name)));
        }
        Some(p) => {
            let parent = active(reg, p, "新的上级区划")?;
            let above = match d.level {
                DivisionLevel::Village => DivisionLevel::Township,
                _ => DivisionLevel::County,
            };
            if parent.level != above {
                return Err(Refusal::Invalid(format!(
                    "{}的上级须是{}级区划，{}不是",
                    d.name,
                    above.as_str(),
                    parent.name
                )));
            }
            next.parent_code = Some(p.clone());
            true
        }
        None => false,
    };
    if let Some(n) = &edit.name {
        if *n == d.name {
            return Err(Refusal::Invalid(format!("新名称与现名称“{n}”相同")));
        }
        next.name = n.clone();
    }
    match &edit.aliases {
        Some(list) => next.aliases = list.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        // The old name stays known as another name, so addresses written with it resolve.
        None if edit.name.is_some() && !next.aliases.contains(&d.name) => next.aliases.push(d.name.clone()),
        None => {}
    }
    // The name must suit its siblings wherever it now stands; a legacy name that only gets
    // new short forms is left as it is.
    if edit.name.is_some() || parent_moved {
        let violations =
            naming::check_division_name(&next.name, &siblings(reg, next.parent_code.as_deref(), &d.code), words);
        let violations: Vec<Violation> = if edit.name.is_some() {
            violations
        } else {
            violations.into_iter().filter(|v| matches!(v.rule, Rule::Duplicate | Rule::Homophone)).collect()
        };
        if !violations.is_empty() {
            return Err(Refusal::Broken(next.name.clone(), violations));
        }
    }
    if edit.name.is_some() || parent_moved {
        next.former_names.push(former(d, parent_moved));
    }

    let Some(new_code) = &edit.new_code else {
        after.divisions.insert(next.code.clone(), next);
        let kind = match (parent_moved, edit.name.is_some()) {
            (true, _) => EventKind::DivisionMoved,
            (false, true) => EventKind::DivisionRenamed,
            (false, false) => EventKind::DivisionChanged,
        };
        return Ok(Plan {
            after,
            kind,
            successor: d.code.clone(),
            retired: None,
            created: None,
            touched: vec![d.code.clone()],
        });
    };
    // A new code: a new record in the new state; the old one kept as it stood, retired.
    let parent = next.parent_code.clone().unwrap_or_default();
    if new_code.len() != d.level.code_len() || !new_code.chars().all(|c| c.is_ascii_digit()) {
        return Err(Refusal::Invalid(format!("新代码 {new_code} 应为 {} 位数字", d.level.code_len())));
    }
    if !new_code.starts_with(&parent) {
        return Err(Refusal::Invalid(format!("新代码 {new_code} 应以上级区划代码 {parent} 开头")));
    }
    if reg.divisions.contains_key(new_code) {
        return Err(Refusal::Invalid(format!("区划代码 {new_code} 已被使用，代码不得重复使用")));
    }
    let created = Division { code: new_code.clone(), former_names: vec![], ..next };
    after.divisions.insert(new_code.clone(), created);
    let kids = move_children(reg, &mut after, &d.code, new_code, on, document)?;
    {
        let mut old = after.divisions.get_mut(&d.code).expect("the division exists");
        old.status = NameStatus::Retired;
        old.replaced_by = Some(new_code.clone());
    }
    let mut touched = vec![d.code.clone(), new_code.clone()];
    touched.extend(kids);
    Ok(Plan {
        after,
        kind: EventKind::DivisionRecoded,
        successor: new_code.clone(),
        retired: Some(d.code.clone()),
        created: Some(new_code.clone()),
        touched,
    })
}

/// Moves what stands under `from` to `to` in `after`: child divisions, localities, and
/// the township of plates; refused when a moved name clashes with one already there.
/// Returns the IDs and codes it moved.
fn move_children(
    reg: &Register,
    after: &mut Register,
    from: &str,
    to: &str,
    on: &str,
    document: Option<&str>,
) -> Result<Vec<String>, Refusal> {
    let moved_from = |name: &str| FormerName {
        name: name.to_string(),
        until: on.to_string(),
        document: document.map(str::to_string),
        parent_code: Some(from.to_string()),
    };
    let mut touched = Vec::new();
    let mut clashes = Vec::new();
    let kids: Vec<&Division> = reg.children(from).into_iter().filter(|c| c.status == NameStatus::Active).collect();
    for kid in &kids {
        if let Some(there) = reg.children(to).into_iter().find(|s| s.status == NameStatus::Active && s.name == kid.name)
        {
            clashes.push(Violation {
                rule: Rule::Duplicate,
                message: format!("“{}”与{}下的“{}”重名，请先更名", kid.name, to, there.name),
                conflict_id: Some(there.code.clone()),
            });
        }
    }
    let places: Vec<&Locality> =
        reg.localities.values().filter(|l| l.village_code == from && l.status != NameStatus::Retired).collect();
    for l in &places {
        if let Some(there) = reg
            .localities
            .values()
            .find(|x| x.village_code == to && x.status != NameStatus::Retired && x.name == l.name)
        {
            clashes.push(Violation {
                rule: Rule::Duplicate,
                message: format!("“{}”与并入后村内的“{}”重名，请先更名", l.name, there.name),
                conflict_id: Some(there.id.clone()),
            });
        }
    }
    if !clashes.is_empty() {
        let name = reg.divisions.get(from).map(|d| d.name.clone()).unwrap_or_default();
        return Err(Refusal::Broken(name, clashes));
    }
    for kid in kids {
        let mut k = after.divisions.get_mut(&kid.code).expect("a child exists");
        k.former_names.push(moved_from(&kid.name));
        k.parent_code = Some(to.to_string());
        touched.push(kid.code.clone());
    }
    for l in places {
        let mut x = after.localities.get_mut(&l.id).expect("a locality exists");
        x.former_names.push(moved_from(&l.name));
        x.village_code = to.to_string();
        touched.push(l.id.clone());
    }
    for p in reg.plates.records_under(from).filter(|p| p.township_code.as_deref() == Some(from)) {
        after.plates.get_mut(&p.id).expect("a plate exists").township_code = Some(to.to_string());
        touched.push(p.id.clone());
    }
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::super::register::tests::sample;
    use super::*;

    fn edit(code: &str) -> DivisionEdit {
        DivisionEdit { code: code.into(), ..DivisionEdit::default() }
    }

    fn village(r: &mut Register, code: &str, name: &str) {
        let mut v = r.divisions["422801207201"].clone();
        v.code = code.into();
        v.name = name.into();
        r.divisions.insert(code.into(), v);
    }

    #[test]
    fn a_merged_village_takes_its_groups_to_its_successor() {
        let mut r = sample();
        village(&mut r, "422801207202", "新田村");
        let p = plan(
            &r,
            &WordList::builtin(),
            &DivisionEdit { merge_into: Some("422801207202".into()), ..edit("422801207201") },
            "2026-11-25",
            Some("恩施市政〔2026〕1号"),
        )
        .unwrap();
        assert_eq!(p.kind, EventKind::DivisionMerged);
        let gone = &p.after.divisions["422801207201"];
        assert_eq!((gone.status, gone.replaced_by.as_deref()), (NameStatus::Retired, Some("422801207202")));
        assert_eq!(gone.name, "高拱桥村", "the retired record stays as it stood");
        assert_eq!(
            p.after.address("plt_2").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡新田村三组5号"
        );
        assert!(p.after.divisions["422801207202"].aliases.contains(&"高拱桥村".to_string()));
        let moved = &p.after.localities["loc_1"].former_names[0];
        assert_eq!(moved.parent_code.as_deref(), Some("422801207201"));
        // As of the day before, the group stood in its old village.
        let mut after = p.after.clone();
        after.lifespans.insert("422801207201".into(), Lifespan { from: None, to: Some("2026-11-25".into()) });
        assert_eq!(
            after.as_of("2026-11-24").address("plt_2").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡高拱桥村三组5号"
        );
    }

    #[test]
    fn a_merger_that_would_put_two_groups_of_one_name_in_a_village_is_refused() {
        let mut r = sample();
        village(&mut r, "422801207202", "新田村");
        let mut other = r.localities["loc_1"].clone();
        other.id = "loc_2".into();
        other.village_code = "422801207202".into();
        r.localities.insert("loc_2".into(), other);
        let e = DivisionEdit { merge_into: Some("422801207202".into()), ..edit("422801207201") };
        match plan(&r, &WordList::builtin(), &e, "2026-11-25", None) {
            Err(Refusal::Broken(_, v)) => {
                assert_eq!(v[0].rule, Rule::Duplicate);
                assert_eq!(v[0].conflict_id.as_deref(), Some("loc_2"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_new_code_retires_the_old_and_moves_everything_under_it() {
        let r = sample();
        let e =
            DivisionEdit { new_code: Some("422801101".into()), name: Some("芭蕉镇".into()), ..edit("422801207") };
        let p = plan(&r, &WordList::builtin(), &e, "2026-11-25", Some("鄂政〔2026〕3号")).unwrap();
        assert_eq!(p.kind, EventKind::DivisionRecoded);
        assert_eq!(p.created.as_deref(), Some("422801101"));
        assert_eq!(p.after.divisions["422801207201"].parent_code.as_deref(), Some("422801101"));
        assert_eq!(
            p.after.address("plt_2").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市芭蕉镇高拱桥村三组5号"
        );
        assert_eq!(p.after.divisions["422801207"].replaced_by.as_deref(), Some("422801101"));
        for bad in ["42280110", "422802101", "422801001"] {
            let e = DivisionEdit { new_code: Some(bad.into()), ..edit("422801207") };
            assert!(
                matches!(plan(&r, &WordList::builtin(), &e, "2026-11-25", None), Err(Refusal::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_village_moves_to_another_township_with_its_old_parent_kept() {
        let r = sample();
        let e = DivisionEdit { parent_code: Some("422801001".into()), ..edit("422801207201") };
        let p = plan(&r, &WordList::builtin(), &e, "2026-11-25", None).unwrap();
        assert_eq!(p.kind, EventKind::DivisionMoved);
        assert_eq!(
            p.after.address("loc_1").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市舞阳坝街道高拱桥村三组"
        );
        let f = &p.after.divisions["422801207201"].former_names[0];
        assert_eq!((f.name.as_str(), f.parent_code.as_deref()), ("高拱桥村", Some("422801207")));
        // A village is not a township's sibling; nor is a county changed here.
        let e = DivisionEdit { parent_code: Some("422801".into()), ..edit("422801207201") };
        assert!(matches!(plan(&r, &WordList::builtin(), &e, "2026-11-25", None), Err(Refusal::Invalid(_))));
        assert!(matches!(
            plan(&r, &WordList::builtin(), &DivisionEdit { name: Some("恩施县".into()), ..edit("422801") }, "x", None),
            Err(Refusal::Invalid(_))
        ));
    }
}
