using Toolkit.Generators.Common;

namespace Toolkit.Generators.Structs.Model;

/// <summary>
/// <c>visitor IName over Union dispatch Class { rules }</c>: a visitor interface over the variants of a union, and a
/// static dispatcher that validates a record and walks it. See docs/struct-dsl.md, "Visitors".
/// </summary>
internal sealed record VisitorDecl(
    string Name,
    string Doc,
    string Path,
    Loc Loc,
    string Over,
    Loc OverLoc,
    string Dispatcher,
    Loc DispatcherLoc,
    EquatableArray<VisitRule> Rules);

/// <summary>
/// One rule of a visitor. At a union level <see cref="Name"/> is a variant struct; inside a variant's body it is a
/// member of that struct. <see cref="Callback"/> is the visitor method (<c>=&gt; OnX</c>), <see cref="Fail"/> the
/// reason of a <c>=&gt; fail "reason"</c> rule, and <see cref="Children"/> the body (<c>{ ... }</c>) when
/// <see cref="HasBody"/>.
/// </summary>
internal sealed record VisitRule(string Name, string Doc, string? Callback, string? Fail, bool HasBody, EquatableArray<VisitRule> Children, Loc Loc, Loc? CallbackLoc);
