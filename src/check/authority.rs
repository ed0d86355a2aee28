//! 权限: the actor of an action must hold a position, fill a role, or act
//! under a delegation valid that day. The finding says which path was used.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use super::finding::{Held, Unauthorisation, Unauthorised};
use super::pattern::{
    AuditNeeds, CountedDeadline, LintFacts, PatternFacts, PatternRule, actors_text,
};
use super::{AuthPath, Ctx, Draft, Finding, FxMap, Reason, Verdict};
use crate::check::context::role_word;
use crate::compile::ir::{
    Actor, CompiledRule, DelegationIr, EventIr, Party, Pattern, Ruleset, Scope,
};
use crate::generate::{Gen, Slots};
use crate::syntax::ast::{Action, Role, Verb};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// 由 A 或 B 签发 …: the rule's terms.
#[derive(Debug, Clone)]
pub struct AuthorityRule {
    pub actors: Vec<Actor>,
    pub actions: Vec<Action>,
    pub scope: Scope,
}

impl AuthorityRule {
    /// The verbs of acts done by an actor (签发, not 召集/主持).
    fn acts(&self) -> impl Iterator<Item = Verb> + '_ {
        self.actions.iter().filter_map(|a| match a {
            Action::Do(v) => Some(*v),
            Action::Convene | Action::Chair => None,
        })
    }
}

/// The event kind an act is recorded as (召集, 主持: 召开).
pub fn recorded_as(a: Action) -> Verb {
    match a {
        Action::Convene | Action::Chair => Verb::Convene,
        Action::Do(v) => v,
    }
}

impl PatternRule for AuthorityRule {
    fn name(&self) -> &'static str {
        "权限"
    }

    fn trigger_verbs(&self) -> Vec<Verb> {
        self.actions.iter().map(|a| recorded_as(*a)).collect()
    }

    fn check(&self, ctx: &Ctx<'_>, rule: &CompiledRule) -> Vec<Finding> {
        check(ctx, rule, self)
    }

    fn audit_needs(&self, _: &CompiledRule) -> AuditNeeds<'_> {
        AuditNeeds::default()
    }

    fn counted_deadline(&self) -> Option<CountedDeadline> {
        None
    }

    fn diff_fields(&self, rs: &Ruleset, m: &mut BTreeMap<&'static str, String>) {
        m.insert("主体", actors_text(rs, &self.actors));
        m.insert(
            "行为",
            self.actions
                .iter()
                .map(|a| a.word())
                .collect::<Vec<_>>()
                .join("、"),
        );
    }

    fn lint_facts(&self) -> LintFacts<'_> {
        let kinds = self.scope.document_kinds.as_slice();
        LintFacts {
            actors: &self.actors,
            scope: Some(&self.scope),
            acts: self.acts().map(|v| (v, kinds)).collect(),
            actor_check: Some((self.actors.as_slice(), self.acts().collect())),
            pair_verbs: self.trigger_verbs(),
            ..LintFacts::default()
        }
    }

    fn generates_instances(&self) -> bool {
        true
    }

    fn generate(
        &self,
        g: &mut Gen<'_>,
        _: &CompiledRule,
        object: &str,
        d: NaiveDate,
        faulty: bool,
    ) -> usize {
        let positions = Pattern::positions(&self.actors);
        let who = if faulty {
            g.outsider(&positions)
        } else {
            g.holder(&positions)
        };
        if faulty && who.is_some() {
            g.faults += 1;
        }
        let Some(action) = g.rng.pick(&self.actions).copied() else {
            return 0;
        };
        let p = Pattern {
            verbs: vec![recorded_as(action)],
            actors: Vec::new(),
            scope: self.scope.clone(),
        };
        let mut e = g.event(&p, object, who);
        if let (Some(o), Some(w)) = (e.as_object_mut(), who) {
            let name = g.people.get(w).map(|x| x.name.clone());
            match action {
                Action::Convene => {
                    o.insert("convener".into(), json!(name));
                }
                Action::Chair => {
                    o.insert("chair".into(), json!(name));
                }
                Action::Do(_) => {}
            }
        }
        g.emit_with_siblings(d, e)
    }

    fn allow(&self, g: &Gen<'_>, ev: &Value, allowed: &mut Slots) {
        let positions = Pattern::positions(&self.actors);
        let holders = g.holding(&positions);
        let units: Vec<&String> = self
            .actors
            .iter()
            .filter_map(|a| match a {
                Actor::Unit(u) => Some(u),
                _ => None,
            })
            .collect();
        // Roles and delegates only: nothing to choose from here.
        if holders.is_empty() && units.is_empty() {
            return;
        }
        // Listed only for a rule that applies to the event (once per
        // rule, not per event and rule: `gen` was quadratic).
        let mut names: Option<Vec<String>> = None;
        for action in &self.actions {
            let slot = match action {
                Action::Do(_) => 0,
                Action::Convene => 1,
                Action::Chair => 2,
            };
            let p = Pattern {
                verbs: vec![recorded_as(*action)],
                actors: Vec::new(),
                scope: self.scope.clone(),
            };
            if !g.could_trigger(&p, ev) {
                continue;
            }
            let names = names.get_or_insert_with(|| {
                holders
                    .iter()
                    .map(|i| g.name(*i))
                    .chain(units.iter().map(|u| (*u).clone()))
                    .collect()
            });
            if let Some(a) = allowed.get_mut(slot) {
                *a = Some(match a.take() {
                    None => names.clone(),
                    Some(prev) => {
                        let these: HashSet<&str> = names.iter().map(String::as_str).collect();
                        let both: Vec<String> = prev
                            .iter()
                            .filter(|x| these.contains(x.as_str()))
                            .cloned()
                            .collect();
                        if both.is_empty() { prev } else { both }
                    }
                });
            }
        }
    }
}

fn check(ctx: &Ctx<'_>, rule: &CompiledRule, terms: &AuthorityRule) -> Vec<Finding> {
    let AuthorityRule {
        actors,
        actions,
        scope,
    } = terms;
    let rs = ctx.rs;
    // Who may act, as findings name them: made once, when a finding
    // that names them is made.
    let accepted_once: std::cell::OnceCell<Arc<str>> = std::cell::OnceCell::new();
    let accepted =
        || accepted_once.get_or_init(|| Arc::from(super::pattern::actors_text(ctx.rs, actors)));
    // The paths found so far and what each person holds, shared by the
    // findings that cite them (a check decides, it does not allocate per
    // decision).
    let mut paths = Paths::default();
    let mut held_by: FxMap<usize, Arc<[Arc<str>]>> = FxMap::default();
    let mut refusals = Refusals::default();
    // Decided per kind once, when the rule has events to test.
    let scope_test_once = std::cell::OnceCell::new();
    let mut out = Vec::new();
    // No event of the scenario has the scope's 情形 or kinds: nothing to
    // read.
    if !ctx.may_match_scope(scope) {
        return out;
    }
    for action in actions {
        let verbs = [recorded_as(*action)];
        let mut events = ctx.triggering(&verbs);
        if !events.is_empty() {
            let scope_test = scope_test_once.get_or_init(|| ctx.scope_test(scope));
            events.retain(|e| scope_test.admits(ctx, scope, e) && ctx.targets_ok(scope, e));
        }
        // One finding per event: sized once (not grown by copying, and no
        // larger: memory touched afresh costs page faults).
        out.reserve_exact(events.len());
        for e in events {
            if super::not_applicable(ctx, rule, e, &mut out) {
                continue;
            }
            let (who, role_word_) = match action {
                Action::Convene => (e.convener.map(Party::Person), "召集人"),
                Action::Chair => (e.chair.map(Party::Person), "主持人"),
                Action::Do(_) => (e.actor.clone(), "行为人"),
            };
            let act = action.word();
            let Some(who) = who else {
                let facts = Undecided::NoActor {
                    role: role_word_,
                    accepted: accepted().clone(),
                    act,
                };
                out.push(
                    Draft::because(
                        rule,
                        Verdict::Pending,
                        Reason::Pattern(PatternFacts::AuthorityUndecided(Box::new(facts))),
                    )
                    .event(e)
                    .finish(rs),
                );
                continue;
            };
            let found = authorise(ctx, actors, *action, &who, e);
            if found.is_ok() && ctx.counted(rule, Verdict::Complied) {
                continue;
            }
            // A person mostly: the scenario's own name, no lookup.
            let party = ctx.sc.party_ref(&who);
            let draft = match found {
                Ok(found) => Draft::because(rule, Verdict::Complied, Reason::Authorised { act })
                    .path(paths.shared(ctx, found)),
                Err(Some(missing)) => Draft::because(
                    rule,
                    Verdict::Pending,
                    Reason::Pattern(PatternFacts::AuthorityUndecided(Box::new(
                        Undecided::Unknown {
                            missing,
                            name: party.shared_name(),
                            accepted: accepted().clone(),
                        },
                    ))),
                ),
                Err(None) => {
                    let held = match &who {
                        Party::Person(p) => {
                            let names = || -> Arc<[Arc<str>]> {
                                ctx.person(*p)
                                    .map(|x| {
                                        x.positions_on(e.date)
                                            .iter()
                                            .map(|h| ctx.rs.positions.shared_name(*h))
                                            .collect()
                                    })
                                    .unwrap_or_else(|| Arc::from([]))
                            };
                            // Shared per person, unless what the person
                            // holds changes (任, 离任 on a day).
                            Held::Positions(
                                if ctx.person(*p).is_some_and(|x| x.changes.is_empty()) {
                                    held_by.entry(*p).or_insert_with(names).clone()
                                } else {
                                    names()
                                },
                            )
                        }
                        Party::Unit(_) => Held::Unit,
                    };
                    let why = match &who {
                        Party::Person(p) => match not_a_leader(ctx, actors, *p, e) {
                            Some(s) => s,
                            None => delegation_problem(ctx, actors, accepted(), *p, *action, e),
                        },
                        Party::Unit(_) => Unauthorisation::NoDelegation,
                    };
                    let facts = Unauthorised {
                        name: party.shared_name(),
                        held,
                        act,
                        accepted: accepted().clone(),
                        why,
                    };
                    Draft::because(
                        rule,
                        Verdict::Violated,
                        Reason::Unauthorised(refusals.shared(facts)),
                    )
                    .excuse_if_justified(ctx, &[e])
                }
            };
            out.push(draft.event(e).party(Some(party)).finish(rs));
        }
    }
    out
}

/// How an act was authorised, as ids: made into a shared [`AuthPath`] once
/// per check ([`Paths`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found<'e> {
    /// Made at once (not shared): a unit's name is the party's own.
    Unit(Arc<str>),
    Position {
        held: usize,
        wanted: usize,
    },
    Delegation {
        from_person: usize,
        principal: usize,
        while_away: bool,
    },
    Handler,
    MeetingRole(&'static str),
    AreaLeader(&'e str),
    Individual,
    Attendee,
}

/// The paths of one check's findings, each made once and shared.
#[derive(Default)]
struct Paths<'e> {
    made: Vec<(Found<'e>, Arc<AuthPath>)>,
}

impl<'e> Paths<'e> {
    fn shared(&mut self, ctx: &Ctx<'_>, found: Found<'e>) -> Arc<AuthPath> {
        if let Found::Unit(u) = found {
            return Arc::new(AuthPath::Unit(u));
        }
        if let Some((_, p)) = self.made.iter().find(|(f, _)| *f == found) {
            return p.clone();
        }
        let name = |id: usize| ctx.rs.positions.shared_name(id);
        let path = Arc::new(match found.clone() {
            Found::Unit(u) => AuthPath::Unit(u),
            Found::Position { held, wanted } => AuthPath::Position {
                held,
                held_name: name(held),
                via: (held != wanted).then(|| (wanted, name(wanted))),
            },
            Found::Delegation {
                from_person,
                principal,
                while_away,
            } => AuthPath::Delegation {
                from_person,
                from: ctx
                    .sc
                    .people
                    .get(from_person)
                    .map_or_else(|| Arc::from("?"), |p| p.name.clone()),
                position_name: name(principal),
                while_away,
            },
            Found::Handler => AuthPath::Handler,
            Found::MeetingRole(r) => AuthPath::MeetingRole(r),
            Found::AreaLeader(a) => AuthPath::AreaLeader(Arc::from(a)),
            Found::Individual => AuthPath::Individual,
            Found::Attendee => AuthPath::Attendee,
        });
        // Few distinct paths in a check; a scenario of many units or
        // areas keeps only the first ones.
        if self.made.len() < 64 {
            self.made.push((found, path.clone()));
        }
        path
    }
}

/// The facts of the latest refusals, shared by the findings that repeat
/// them (the same person refused the same way).
#[derive(Default)]
struct Refusals {
    recent: Vec<Arc<Unauthorised>>,
    next: usize,
}

impl Refusals {
    const KEPT: usize = 8;

    fn shared(&mut self, facts: Unauthorised) -> Arc<Unauthorised> {
        // The same facts hold the same shared names: compared by address.
        let same = |u: &Unauthorised| {
            Arc::ptr_eq(&u.name, &facts.name)
                && Arc::ptr_eq(&u.accepted, &facts.accepted)
                && std::ptr::eq(u.act, facts.act)
                && match (&u.held, &facts.held) {
                    (Held::Positions(a), Held::Positions(b)) => Arc::ptr_eq(a, b),
                    (Held::Unit, Held::Unit) => true,
                    _ => false,
                }
                && u.why == facts.why
        };
        if let Some(u) = self.recent.iter().find(|u| same(u)) {
            return u.clone();
        }
        let u = Arc::new(facts);
        if self.recent.len() < Self::KEPT {
            self.recent.push(u.clone());
        } else if let Some(slot) = self.recent.get_mut(self.next) {
            *slot = u.clone();
        }
        self.next = (self.next + 1) % Self::KEPT;
        u
    }
}

/// How `who` may do `action` on `e`: Ok(path), Err(Some(missing fact)) when
/// undecidable, Err(None) when not authorised.
fn authorise<'e>(
    ctx: &'e Ctx<'_>,
    actors: &[Actor],
    action: Action,
    who: &Party,
    e: &'e EventIr,
) -> Result<Found<'e>, Option<Unknown>> {
    let mut missing = None;
    for a in actors {
        match (a, who) {
            (Actor::Unit(u), Party::Unit(v)) if ctx.unit_is(v, u) => {
                return Ok(Found::Unit(Arc::from(v.as_str())));
            }
            (Actor::Position(p), Party::Person(id)) => {
                if let Some(h) = ctx.holds(*id, *p, e.date) {
                    return Ok(Found::Position {
                        held: h,
                        wanted: *p,
                    });
                }
            }
            (
                Actor::Delegated {
                    principal,
                    delegate,
                    away,
                },
                Party::Person(id),
            ) => {
                if let Some(d) = ctx.delegation_acted_under(
                    *id,
                    *principal,
                    *delegate,
                    away.as_ref().map(|a| a.leaves),
                    action,
                    e,
                ) {
                    return Ok(Found::Delegation {
                        from_person: d.from,
                        principal: *principal,
                        while_away: away.is_some(),
                    });
                }
            }
            (Actor::Role(Role::Handler), _) => match ctx.handler_of(e) {
                Some(h) if h == who => return Ok(Found::Handler),
                Some(_) => {}
                None => missing = Some(Unknown::Handler),
            },
            (Actor::Role(role), Party::Person(id)) => match role {
                Role::MeetingChair | Role::MeetingConvener => match ctx.meeting_of(e) {
                    Some(m) => {
                        let holder = if *role == Role::MeetingChair {
                            m.chair
                        } else {
                            m.convener
                        };
                        match holder {
                            Some(h) if h == *id => {
                                return Ok(Found::MeetingRole(role_word(*role)));
                            }
                            Some(_) => {}
                            None => missing = Some(Unknown::MeetingRole(role_word(*role))),
                        }
                    }
                    None => missing = Some(Unknown::Meeting(e.object.as_deref().map(Box::from))),
                },
                Role::AreaLeader => match &e.area {
                    Some(area) if ctx.leads_area(*id, area, e.date) => {
                        // The part he leads, not the matter's every 领域 (a
                        // joint 请示 in 教育、农业 signed by the 教育 leader
                        // read “分管教育、农业”: blind r20 瓜州 R20-65).
                        let part = crate::syntax::ast::area_parts(area)
                            .find(|p| ctx.has_area(*id, p, e.date))
                            .unwrap_or(area);
                        return Ok(Found::AreaLeader(part));
                    }
                    Some(_) => {}
                    // Only someone who 分管 something could be the 分管领导.
                    None if ctx.may_lead_areas(*id, e.date) && ctx.has_areas(*id, e.date) => {
                        missing = Some(Unknown::Area)
                    }
                    None => {}
                },
                Role::Individual => return Ok(Found::Individual),
                Role::Handler => {}
                Role::Attendees => {
                    if ctx.meeting_of(e).is_some_and(|m| m.present.contains(id)) {
                        return Ok(Found::Attendee);
                    }
                }
            },
            _ => {}
        }
    }
    // A delegation from a holder of an accepted position, valid that day —
    // unless the rule itself says whom that position may delegate to
    // (县长委托的常务副县长): then only that path counts.
    let named_delegate = |p: usize| {
        actors
            .iter()
            .any(|x| matches!(x, Actor::Delegated { principal, .. } if *principal == p))
    };
    for a in actors {
        if let (Actor::Position(p), Party::Person(id)) = (a, who)
            && !named_delegate(*p)
            && let Some(d) = ctx.delegation_for(*id, Some(*p), action, e)
        {
            return Ok(Found::Delegation {
                from_person: d.from,
                principal: *p,
                while_away: false,
            });
        }
    }
    Err(missing)
}

/// "分管 the area, but not in a position that can be a 分管领导".
fn not_a_leader(
    ctx: &Ctx<'_>,
    actors: &[Actor],
    person: usize,
    e: &EventIr,
) -> Option<Unauthorisation> {
    let area = e.area.as_deref()?;
    let has_area = ctx.has_area(person, area, e.date);
    (actors.contains(&Actor::Role(Role::AreaLeader))
        && has_area
        && !ctx.may_lead_areas(person, e.date))
    .then(|| {
        let leaders: Vec<&str> = ctx
            .rs
            .area_leaders
            .iter()
            .map(|p| ctx.rs.position_name(*p))
            .collect();
        Unauthorisation::NotALeader {
            area: Box::from(area),
            leaders: leaders.join("、").into_boxed_str(),
        }
    })
}

/// Why the delegations to `person` (if any) do not authorise the act.
fn delegation_problem(
    ctx: &Ctx<'_>,
    actors: &[Actor],
    accepted: &Arc<str>,
    person: usize,
    action: Action,
    e: &EventIr,
) -> Unauthorisation {
    let Some(d) = ctx.delegations_to(person, None, action, e).next() else {
        return Unauthorisation::NoDelegation;
    };
    delegation_refused(ctx, actors, accepted, person, d, e)
}

/// Why the delegation `d` to `person` does not authorise the act.
fn delegation_refused(
    ctx: &Ctx<'_>,
    actors: &[Actor],
    accepted: &Arc<str>,
    person: usize,
    d: &DelegationIr,
    e: &EventIr,
) -> Unauthorisation {
    let from = ctx
        .sc
        .people
        .get(d.from)
        .map_or_else(|| Arc::from("?"), |p| p.name.clone());
    if !ctx.delegation_valid(d, e.date) {
        if let Some(r) = d.revoked.filter(|r| e.date >= *r) {
            return Unauthorisation::Revoked { from, on: r };
        }
        return match (d.start, d.given) {
            (Some(s), _) if e.date < s => Unauthorisation::NotYet { from, start: s },
            (_, Some(g)) if d.open => Unauthorisation::OccasionOver {
                from,
                given: g,
                date: e.date,
            },
            _ => Unauthorisation::Expired { from },
        };
    }
    // Valid, but the rule wants a delegate it names, or only while away.
    for a in actors {
        if let Actor::Delegated {
            principal,
            delegate,
            away,
        } = a
            && ctx.holds(d.from, *principal, e.date).is_some()
        {
            if ctx.holds(person, *delegate, e.date).is_none() {
                return Unauthorisation::OnlyNamedDelegate {
                    from,
                    principal: ctx.rs.positions.shared_name(*principal),
                    delegate: ctx.rs.positions.shared_name(*delegate),
                };
            }
            if let Some(a) = away
                && ctx.away_on(d.from, e.date, a.leaves).is_none()
            {
                return Unauthorisation::NotAway {
                    from,
                    leaving: a.leaves,
                    inside: a.leaves && ctx.away_on(d.from, e.date, false).is_some(),
                };
            }
        }
    }
    Unauthorisation::NotAccepted {
        from,
        accepted: accepted.clone(),
    }
}

/// Why a 权限 finding is 待定 ([`PatternFacts::AuthorityUndecided`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecided {
    /// The event does not say who did the act (its 召集人, 主持人, actor).
    NoActor {
        role: &'static str,
        accepted: Arc<str>,
        act: &'static str,
    },
    /// A fact that would decide whether `name` is one of `accepted`.
    Unknown {
        missing: Unknown,
        name: Arc<str>,
        accepted: Arc<str>,
    },
}

/// A fact an event does not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// 承办 X.
    Handler,
    /// The meeting's 主持人 or 召集人 (the role's word).
    MeetingRole(&'static str),
    /// The meeting the document (named, when it is) is based on.
    Meeting(Option<Box<str>>),
    /// The event's 领域.
    Area,
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unknown::Handler => f.write_str("未写明承办单位"),
            Unknown::MeetingRole(r) => write!(f, "会议未写明{r}"),
            Unknown::Meeting(o) => write!(
                f,
                "未找到“{}”所依据的会议",
                o.as_deref().unwrap_or("该公文")
            ),
            Unknown::Area => f.write_str("事件未写明领域"),
        }
    }
}

impl fmt::Display for Undecided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Undecided::NoActor {
                role,
                accepted,
                act,
            } => write!(f, "事件未写明{role}，无法判断是否由{accepted}{act}"),
            Undecided::Unknown {
                missing,
                name,
                accepted,
            } => write!(f, "{missing}，无法判断{name}是否为{accepted}"),
        }
    }
}
