//! What a change to the register was, as the feed names it (SPEC §6): the machine code
//! consumers match on, and the words a clerk reads. One place for both.

use std::fmt;

/// The kind of an event of the change feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    RegisterImported,
    NameProposed,
    NameApproved,
    NameAnnounced,
    NameRenamed,
    NameRetired,
    NameReinstated,
    NameCorrected,
    NameReturned,
    DivisionChangeProposed,
    DivisionRenamed,
    DivisionMerged,
    DivisionMoved,
    DivisionRecoded,
    DivisionChanged,
    PlateIssued,
    PlateRetired,
    PlateLocationCorrected,
    PlatePlanReserved,
    BuildingCreated,
    BuildingRetired,
    BuildingCorrected,
    UnitCreated,
    UnitRetired,
    UnitCorrected,
    RoomCreated,
    RoomRetired,
    RoomCorrected,
}

impl EventKind {
    pub const ALL: [EventKind; 28] = [
        EventKind::RegisterImported,
        EventKind::NameProposed,
        EventKind::NameApproved,
        EventKind::NameAnnounced,
        EventKind::NameRenamed,
        EventKind::NameRetired,
        EventKind::NameReinstated,
        EventKind::NameCorrected,
        EventKind::NameReturned,
        EventKind::DivisionChangeProposed,
        EventKind::DivisionRenamed,
        EventKind::DivisionMerged,
        EventKind::DivisionMoved,
        EventKind::DivisionRecoded,
        EventKind::DivisionChanged,
        EventKind::PlateIssued,
        EventKind::PlateRetired,
        EventKind::PlateLocationCorrected,
        EventKind::PlatePlanReserved,
        EventKind::BuildingCreated,
        EventKind::BuildingRetired,
        EventKind::BuildingCorrected,
        EventKind::UnitCreated,
        EventKind::UnitRetired,
        EventKind::UnitCorrected,
        EventKind::RoomCreated,
        EventKind::RoomRetired,
        EventKind::RoomCorrected,
    ];

    /// The code in the feed (`plate.issued`).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::RegisterImported => "register.imported",
            EventKind::NameProposed => "name.proposed",
            EventKind::NameApproved => "name.approved",
            EventKind::NameAnnounced => "name.announced",
            EventKind::NameRenamed => "name.renamed",
            EventKind::NameRetired => "name.retired",
            EventKind::NameReinstated => "name.reinstated",
            EventKind::NameCorrected => "name.corrected",
            EventKind::NameReturned => "name.returned",
            EventKind::DivisionChangeProposed => "division.change_proposed",
            EventKind::DivisionRenamed => "division.renamed",
            EventKind::DivisionMerged => "division.merged",
            EventKind::DivisionMoved => "division.moved",
            EventKind::DivisionRecoded => "division.recoded",
            EventKind::DivisionChanged => "division.changed",
            EventKind::PlateIssued => "plate.issued",
            EventKind::PlateRetired => "plate.retired",
            EventKind::PlateLocationCorrected => "plate.location_corrected",
            EventKind::PlatePlanReserved => "plate.plan_reserved",
            EventKind::BuildingCreated => "building.created",
            EventKind::BuildingRetired => "building.retired",
            EventKind::BuildingCorrected => "building.corrected",
            EventKind::UnitCreated => "unit.created",
            EventKind::UnitRetired => "unit.retired",
            EventKind::UnitCorrected => "unit.corrected",
            EventKind::RoomCreated => "room.created",
            EventKind::RoomRetired => "room.retired",
            EventKind::RoomCorrected => "room.corrected",
        }
    }

    /// What a clerk reads for it.
    pub const fn label_zh(self) -> &'static str {
        match self {
            EventKind::RegisterImported => "导入登记册",
            EventKind::NameProposed => "申报名称",
            EventKind::NameApproved => "批准名称",
            EventKind::NameAnnounced => "公告名称",
            EventKind::NameRenamed => "更名",
            EventKind::NameRetired => "废止名称",
            EventKind::NameReinstated => "撤销废止",
            EventKind::NameCorrected => "更正名称",
            EventKind::NameReturned => "退回申报",
            EventKind::DivisionChangeProposed => "申报区划变更",
            EventKind::DivisionRenamed => "区划更名",
            EventKind::DivisionMerged => "区划合并",
            EventKind::DivisionMoved => "区划改隶",
            EventKind::DivisionRecoded => "区划代码变更",
            EventKind::DivisionChanged => "区划简称变更",
            EventKind::PlateIssued => "编发门牌",
            EventKind::PlateRetired => "注销门牌",
            EventKind::PlateLocationCorrected => "更正门牌位置",
            EventKind::PlatePlanReserved => "预留门牌号",
            EventKind::BuildingCreated => "登记楼栋",
            EventKind::BuildingRetired => "注销楼栋",
            EventKind::BuildingCorrected => "更正楼栋号",
            EventKind::UnitCreated => "登记单元",
            EventKind::UnitRetired => "注销单元",
            EventKind::UnitCorrected => "更正单元号",
            EventKind::RoomCreated => "登记户室",
            EventKind::RoomRetired => "注销户室",
            EventKind::RoomCorrected => "更正户室号",
        }
    }

    /// The kind a feed code names.
    pub fn parse(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_and_words() {
        let codes: std::collections::HashSet<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        let words: std::collections::HashSet<&str> = EventKind::ALL.iter().map(|k| k.label_zh()).collect();
        assert_eq!(codes.len(), EventKind::ALL.len());
        assert_eq!(words.len(), EventKind::ALL.len());
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
    }
}
