using System.Collections.Generic;
using Toolkit.Generators.Common;
using Toolkit.Generators.Structs.Model;

namespace Toolkit.Generators.Structs.Parsing;

/// <summary>The <c>visitor</c> declaration (docs/struct-dsl.md, "Visitors").</summary>
internal sealed partial class Parser
{
    /// <summary>Rule bodies nest at most this deep (a union inside a variant inside a union ... ).</summary>
    private const int MaxVisitorDepth = 16;

    private List<VisitorDecl> _visitors = new();

    // visitor  = docs "visitor" Name "over" Name "dispatch" Name "{" { rule } "}" ;
    private VisitorDecl ParseVisitor(string doc)
    {
        Next();
        var name = ExpectIdent("visitor interface name");
        var over = Peek;
        if (!over.Is("over"))
        {
            throw Fail(over, "expected 'over' and the union the visitor walks");
        }

        Next();
        var union = ExpectIdent("union name");
        var dispatch = Peek;
        if (!dispatch.Is("dispatch"))
        {
            throw Fail(dispatch, "expected 'dispatch' and the name of the dispatcher class");
        }

        Next();
        var dispatcher = ExpectIdent("dispatcher class name");
        var rules = ParseRuleBody(0);
        return new VisitorDecl(name.Text, doc, _path, name.Loc, union.Text, union.Loc, dispatcher.Text, dispatcher.Loc, rules);
    }

    // body = "{" { rule } "}" ;
    // rule = docs name [ "=>" ( Name | "fail" string ) ] ( body | ";" ) ;
    private EquatableArray<VisitRule> ParseRuleBody(int depth)
    {
        var open = Peek;
        Expect("{");
        if (depth >= MaxVisitorDepth)
        {
            throw Fail(open, "visitor rules nest too deep");
        }

        var rules = new List<VisitRule>();
        while (!Peek.Is("}"))
        {
            var rdoc = ReadDocs();
            if (Peek.Is("}"))
            {
                break;
            }

            var name = ExpectIdent("variant or member name");
            string? callback = null;
            string? fail = null;
            Loc? callbackLoc = null;
            if (Peek.Is("=>"))
            {
                Next();
                if (Peek.Is("fail") && PeekAt(1).Kind == TokenKind.String)
                {
                    callbackLoc = Next().Loc;
                    fail = Next().Text;
                }
                else
                {
                    var cb = ExpectIdent("visitor method name");
                    callback = cb.Text;
                    callbackLoc = cb.Loc;
                }
            }

            var children = EquatableArray<VisitRule>.Empty;
            var hasBody = Peek.Is("{");
            if (hasBody)
            {
                children = ParseRuleBody(depth + 1);
            }
            else
            {
                if (callback is null && fail is null)
                {
                    throw Fail(Peek, "expected '=>' or '{' after '" + name.Text + "'");
                }

                Expect(";");
            }

            rules.Add(new VisitRule(name.Text, rdoc, callback, fail, hasBody, children, name.Loc, callbackLoc));
        }

        Expect("}");
        return new EquatableArray<VisitRule>(rules);
    }
}
