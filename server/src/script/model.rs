//! A script as rules see it: commands with their parameters and values, assignments of literal
//! values to variables, comments. Built once from the tree; rules never walk the tree themselves.
use crate::knowledge::Catalog;
use std::collections::HashMap;
use std::ops::Range;
use tree_sitter::{Node, Tree};

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// A quoted string or a bare word, without its quotes.
    Str(String),
    Number(String),
    Bool(bool),
    Null,
    /// `$name` (lowercased, without `$` or scope).
    Variable(String),
    /// `@name`: parameters splatted from a hashtable.
    Splat(String),
    /// `@{ key = value; ... }`
    Hash(Vec<(String, Value)>),
    /// `a, b` or `@(a, b)`
    Array,
    /// Anything else: a subexpression, a command, arithmetic.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The source text as written.
    pub text: String,
    pub range: Range<usize>,
    pub kind: ValueKind,
}

impl Value {
    /// The string it stands for, when it is a literal string or bare word.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a written list (`a`, `"a","b"`, `@('a', 'b')`), each without its quotes and
    /// blanks: their ranges in the text.
    pub fn items(&self) -> Vec<Range<usize>> {
        const AROUND: &[char] = &['@', '(', ')', '"', '\'', ' ', '\t', '\r', '\n'];
        let mut out = Vec::new();
        let mut start = 0;
        for piece in self.text.split(',') {
            let lead = piece.len() - piece.trim_start_matches(AROUND).len();
            let core = piece.trim_matches(AROUND);
            if !core.is_empty() {
                let s = self.range.start + start + lead;
                out.push(s..s + core.len());
            }
            start += piece.len() + 1;
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// As written, without the dash and colon (`TargetSharing`).
    pub name: String,
    /// The `-Name` or `-Name:` token.
    pub range: Range<usize>,
    /// Written `-Name:value`.
    pub colon: bool,
    pub value: Option<Value>,
    /// The cmdlet parameter the name binds to, decided once from the cmdlet's data.
    pub binding: Binding,
}

/// What a written parameter name binds to, as PowerShell decides it from the cmdlet's
/// parameters (its data and the common ones).
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// Exactly this parameter: the name itself, or the only one it abbreviates.
    To(String),
    /// No known parameter starts so (or the cmdlet has no data): it binds to whatever name it
    /// abbreviates.
    Unknown,
    /// Several known parameters start so: PowerShell refuses it.
    Ambiguous,
}

impl Binding {
    /// How `written` binds among `cmdlet`'s parameters and the common ones.
    pub fn of(written: &str, cmdlet: Option<&crate::knowledge::Cmdlet>) -> Binding {
        let Some(c) = cmdlet else {
            return Binding::Unknown;
        };
        let names = || {
            c.params
                .iter()
                .map(|p| p.name.as_str())
                .chain(COMMON.iter().copied())
        };
        if let Some(n) = names().find(|n| n.eq_ignore_ascii_case(written)) {
            return Binding::To(n.to_string());
        }
        let w = written.to_ascii_lowercase();
        let mut hits: Vec<&str> = names()
            .filter(|n| !w.is_empty() && n.to_ascii_lowercase().starts_with(&w))
            .collect();
        // A common parameter the data lists too is one parameter.
        hits.sort_by_key(|n| n.to_ascii_lowercase());
        hits.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        match hits.as_slice() {
            [] => Binding::Unknown,
            [n] => Binding::To(n.to_string()),
            _ => Binding::Ambiguous,
        }
    }
}

impl Param {
    /// Whether this parameter is the one named `full`: written so, or bound to it.
    pub fn binds_to(&self, full: &str) -> bool {
        if self.name.eq_ignore_ascii_case(full) {
            return true;
        }
        match &self.binding {
            Binding::To(n) => n.eq_ignore_ascii_case(full),
            Binding::Unknown => {
                let w = self.name.to_ascii_lowercase();
                !w.is_empty() && full.to_ascii_lowercase().starts_with(&w)
            }
            Binding::Ambiguous => false,
        }
    }

    /// Spread from a hashtable (`Cmd @p`): the model gives it its value's range.
    pub fn splatted(&self) -> bool {
        self.value.as_ref().is_some_and(|v| v.range == self.range)
    }

    /// From the `-Name` token to the end of its value.
    pub fn full_range(&self) -> Range<usize> {
        self.range.start..self.value.as_ref().map_or(self.range.end, |v| v.range.end)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub name: String,
    pub name_range: Range<usize>,
    pub range: Range<usize>,
    /// The whole statement (pipeline) the command stands in.
    pub statement: Range<usize>,
    /// Position within its pipeline (0 is the first command).
    pub stage: usize,
    pub params: Vec<Param>,
    pub positionals: Vec<Value>,
    /// In the body of a loop (`foreach`, `for`, `while`, `do`, or a `ForEach-Object` / `%`
    /// script block): written once, it may run several times.
    pub in_loop: bool,
}

impl Command {
    pub fn is(&self, name: &str) -> bool {
        let n = self.name.strip_suffix(".exe").unwrap_or(&self.name);
        n.eq_ignore_ascii_case(name)
    }

    /// The parameter bound to `full` (exact name or an unambiguous prefix of it among `known`).
    pub fn param(&self, full: &str) -> Option<&Param> {
        // `-User x -UserPrincipalName y`: the exact name wins over a prefix of it.
        let exact = self
            .params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(full));
        exact.or_else(|| self.params.iter().find(|p| p.binds_to(full)))
    }

    /// The value bound to parameter `full`.
    pub fn value(&self, full: &str) -> Option<&Value> {
        self.param(full)?.value.as_ref()
    }

    /// Every value the command is given: parameter values, then positionals.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.params
            .iter()
            .filter_map(|p| p.value.as_ref())
            .chain(&self.positionals)
    }

    /// The first positional argument that can name an object (no splat, no `$true`).
    pub fn first_positional(&self) -> Option<&Value> {
        self.positionals
            .iter()
            .find(|v| !matches!(v.kind, ValueKind::Splat(_) | ValueKind::Bool(_)))
    }

    /// The object the command acts on: `-Identity X`, else the first positional argument
    /// (`Set-RemoteMailbox user@contoso.com ...`).
    pub fn identity(&self) -> Option<&Value> {
        match self.param("Identity") {
            Some(p) => p.value.as_ref(),
            None => self.first_positional(),
        }
    }
}

/// Parameters every cmdlet has.
const COMMON: &[&str] = &[
    "Verbose",
    "Debug",
    "ErrorAction",
    "WarningAction",
    "InformationAction",
    "ErrorVariable",
    "WarningVariable",
    "InformationVariable",
    "OutVariable",
    "OutBuffer",
    "PipelineVariable",
    "WhatIf",
    "Confirm",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Lowercased, without `$`.
    pub var: String,
    pub value: Value,
    /// Where the assignment statement starts.
    pub at: usize,
}

#[derive(Debug)]
pub struct Script<'a> {
    pub text: &'a str,
    /// What the rules know: cmdlet parameters, tables.
    pub catalog: &'a Catalog,
    /// In source order.
    pub commands: Vec<Command>,
    /// In source order.
    pub assignments: Vec<Assignment>,
    pub comments: Vec<Range<usize>>,
    /// Every string literal (quoted, verbatim, here-string), outermost and nested, in source order.
    pub strings: Vec<Range<usize>>,
    /// String literals that are patterns or markup rather than values handed on: operands of a
    /// comparison (`-eq`, `-like`, `-match`, `-replace`, `-split` ...) and strings cast to or
    /// given to `[regex]` or `[xml]`. A `<name>` there is the text's own syntax.
    pub patterns: Vec<Range<usize>>,
    /// Indexes into `assignments` by variable, in source order: lookups stay logarithmic.
    by_var: HashMap<String, Vec<usize>>,
}

/// Common parameters that never take a value unless written `-Name:value`.
const SWITCHES: &[&str] = &[
    "force",
    "verbose",
    "debug",
    "whatif",
    "confirm",
    "passthru",
    "asplaintext",
];

impl<'a> Script<'a> {
    pub fn new(text: &'a str, tree: &Tree, catalog: &'a Catalog) -> Script<'a> {
        let mut s = Script {
            text,
            catalog,
            commands: Vec::new(),
            assignments: Vec::new(),
            comments: Vec::new(),
            strings: Vec::new(),
            patterns: Vec::new(),
            by_var: HashMap::new(),
        };
        // Each node with its parent and nearest pipeline: `Node::parent` walks down from the
        // root, which made deep nesting quadratic or worse.
        // It also carries whether the node stands in a loop's body.
        // And whether it stands where text is a pattern (`patterns`).
        let mut stack = vec![(tree.root_node(), None, None, false, false)];
        while let Some((node, parent, pipeline, looped, pattern)) = stack.pop() {
            match node.kind() {
                "command" => {
                    if let Some(mut c) = s.command(node, parent, pipeline) {
                        c.in_loop = looped;
                        s.commands.push(c);
                    }
                }
                "assignment_expression" => s.assignment(node),
                "comment" => s.comments.push(node.byte_range()),
                "string_literal" => {
                    s.strings.push(node.byte_range());
                    if pattern {
                        s.patterns.push(node.byte_range());
                    }
                }
                _ => {}
            }
            let pipeline = if node.kind() == "pipeline" {
                Some(node)
            } else {
                pipeline
            };
            let pattern = match node.kind() {
                // A command's arguments are values again, even inside a comparison.
                "command" | "script_block" => false,
                _ => pattern || holds_patterns(node, text),
            };
            let mut cursor = node.walk();
            let children: Vec<Node> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev().map(|c| {
                let looped = looped || opens_loop(node, c, text);
                (c, Some(node), pipeline, looped, pattern)
            }));
        }
        s.commands.sort_by_key(|c| c.range.start);
        s.assignments.sort_by_key(|a| a.at);
        s.strings.sort_by_key(|r| r.start);
        s.patterns.sort_by_key(|r| r.start);
        for (i, a) in s.assignments.iter().enumerate() {
            s.by_var.entry(a.var.clone()).or_default().push(i);
        }
        s.expand_splats();
        s
    }

    fn src(&self, node: Node) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// `parent` and `pipeline` (the nearest enclosing one) as the walk found them.
    fn command(&self, node: Node, parent: Option<Node>, pipeline: Option<Node>) -> Option<Command> {
        let name_node = node.child_by_field_name("command_name")?;
        let statement = pipeline.unwrap_or(node);
        let stage = {
            let mut cursor = node.walk();
            parent.map_or(0, |p| {
                p.children(&mut cursor)
                    .filter(|c| c.kind() == "command")
                    .take_while(|c| c.id() != node.id())
                    .count()
            })
        };
        let mut cmd = Command {
            name: self.src(name_node).to_string(),
            name_range: name_node.byte_range(),
            range: node.byte_range(),
            statement: statement.byte_range(),
            stage,
            params: Vec::new(),
            positionals: Vec::new(),
            in_loop: false,
        };
        if let Some(elements) = node.child_by_field_name("command_elements") {
            self.bind(&mut cmd, words(elements, self.text));
        }
        Some(cmd)
    }

    /// Pairs `-Name` with the word after it, unless the name is a switch or the word is a name.
    fn bind(&self, cmd: &mut Command, words: Vec<(Vec<Node>, bool)>) {
        let cmdlet = self.catalog.cmdlet(&cmd.name);
        let mut iter = words.into_iter().peekable();
        while let Some((word, joined)) = iter.next() {
            let first = word[0];
            if first.kind() != "command_parameter" {
                cmd.positionals.push(self.value_of(&word));
                continue;
            }
            let raw = self.src(first);
            let colon = joined || raw.ends_with(':');
            let name = raw
                .trim_start_matches('-')
                .trim_end_matches(':')
                .to_string();
            let value = if word.len() > 1 {
                Some(self.value_of(&word[1..]))
            } else {
                let switch = match cmdlet.and_then(|c| super::signature::is_switch(c, &name)) {
                    Some(s) => s,
                    None => SWITCHES.contains(&name.to_ascii_lowercase().as_str()),
                };
                let next_is_value = iter
                    .peek()
                    .is_some_and(|(w, _)| w[0].kind() != "command_parameter");
                (!switch && !colon && next_is_value).then(|| self.value_of(&iter.next().unwrap().0))
            };
            cmd.params.push(Param {
                binding: Binding::of(&name, cmdlet),
                name,
                range: first.byte_range(),
                colon,
                value,
            });
        }
    }

    fn value_of(&self, nodes: &[Node]) -> Value {
        let range = nodes[0].start_byte()..nodes[nodes.len() - 1].end_byte();
        let text = self.text.get(range.clone()).unwrap_or("").to_string();
        let kind = if nodes.len() > 1 {
            if text.contains(',') {
                ValueKind::Array
            } else {
                ValueKind::Str(text.clone())
            }
        } else {
            self.kind_of(nodes[0])
        };
        Value { text, range, kind }
    }

    fn kind_of(&self, node: Node) -> ValueKind {
        let node = dig(node);
        let text = self.src(node);
        match node.kind() {
            "generic_token" => ValueKind::Str(text.to_string()),
            "string_literal" | "expandable_string_literal" | "verbatim_string_characters" => {
                ValueKind::Str(unquote(text).to_string())
            }
            "integer_literal" | "real_literal" | "decimal_integer_literal" => {
                ValueKind::Number(text.to_string())
            }
            "variable" => variable(text),
            "hash_literal_expression" => ValueKind::Hash(self.hash(node)),
            "array_literal_expression" | "array_expression" => ValueKind::Array,
            _ => ValueKind::Other,
        }
    }

    fn hash(&self, node: Node) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "hash_entry" {
                let key = n
                    .child(0)
                    .map(|k| unquote(self.src(k)).to_string())
                    .unwrap_or_default();
                if let Some(v) = n.named_child(n.named_child_count().saturating_sub(1) as u32) {
                    let value = Value {
                        text: self.src(v).to_string(),
                        range: v.byte_range(),
                        kind: self.kind_of(v),
                    };
                    out.push((key, value));
                }
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        out.sort_by_key(|(_, v)| v.range.start);
        out
    }

    fn assignment(&mut self, node: Node) {
        let (Some(left), Some(value)) = (node.named_child(0), node.child_by_field_name("value"))
        else {
            return;
        };
        let ValueKind::Variable(var) = variable(self.src(dig(left))) else {
            return;
        };
        let value = Value {
            text: self.src(value).to_string(),
            range: value.byte_range(),
            kind: self.kind_of(value),
        };
        self.assignments.push(Assignment {
            var,
            value,
            at: node.start_byte(),
        });
    }

    /// `Cmd @p` where `$p = @{...}` earlier: the entries become parameters of `Cmd`.
    fn expand_splats(&mut self) {
        for i in 0..self.commands.len() {
            let splats: Vec<Value> = self.commands[i]
                .positionals
                .iter()
                .filter(|v| matches!(v.kind, ValueKind::Splat(_)))
                .cloned()
                .collect();
            for s in splats {
                let ValueKind::Splat(name) = &s.kind else {
                    continue;
                };
                let Some(a) = self.assignment_before(name, s.range.start) else {
                    continue;
                };
                let ValueKind::Hash(entries) = &a.value.kind else {
                    continue;
                };
                let cmdlet = self.catalog.cmdlet(&self.commands[i].name);
                let params: Vec<Param> = entries
                    .iter()
                    .map(|(k, v)| Param {
                        binding: Binding::of(k, cmdlet),
                        name: k.clone(),
                        range: v.range.clone(),
                        colon: true,
                        value: Some(v.clone()),
                    })
                    .collect();
                self.commands[i].params.extend(params);
            }
        }
    }

    /// The last assignment to `$var` before offset `at`.
    pub fn assignment_before(&self, var: &str, at: usize) -> Option<&Assignment> {
        let list = self.by_var.get(&var.to_ascii_lowercase())?;
        let n = list.partition_point(|&i| self.assignments[i].at < at);
        n.checked_sub(1).map(|k| &self.assignments[list[k]])
    }

    /// A value with a variable replaced by the literal last assigned to it, if any.
    pub fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        match &value.kind {
            ValueKind::Variable(v) => self
                .assignment_before(v, value.range.start)
                .map_or(value, |a| &a.value),
            _ => value,
        }
    }

    /// The literal string a value stands for, directly or through a variable assigned earlier.
    pub fn literal<'v>(&'v self, value: &'v Value) -> Option<&'v str> {
        self.resolve(value).as_str()
    }

    /// Whether two values name the same object: equal literals (case-insensitive, variables
    /// resolved), else the same text (`$mbx` and `$mbx`).
    pub fn same(&self, a: &Value, b: &Value) -> bool {
        match (self.literal(a), self.literal(b)) {
            (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
            _ => a.text.trim().eq_ignore_ascii_case(b.text.trim()),
        }
    }

    /// A switch's state: on when written bare, else its value; `None` when it cannot be told.
    pub fn switch(&self, p: &Param) -> Option<bool> {
        let Some(value) = &p.value else {
            return Some(true);
        };
        match &self.resolve(value).kind {
            ValueKind::Bool(b) => Some(*b),
            ValueKind::Number(n) => Some(n.trim() != "0"),
            ValueKind::Null => Some(false),
            ValueKind::Str(_) if !p.colon => Some(true),
            _ => None,
        }
    }

    /// The commands after `cmd` in the script.
    pub fn after<'s>(&'s self, cmd: &Command) -> impl Iterator<Item = &'s Command> + 's {
        let first = self
            .commands
            .partition_point(|c| c.range.start <= cmd.range.start);
        self.commands[first..].iter()
    }

    /// The commands that start inside `range`, in order.
    pub fn commands_in(&self, range: Range<usize>) -> &[Command] {
        let a = self
            .commands
            .partition_point(|c| c.range.start < range.start);
        let b = self.commands.partition_point(|c| c.range.start < range.end);
        &self.commands[a..b.max(a)]
    }

    /// The command before `cmd` in its pipeline (`Get-X | FL` for the `FL`).
    pub fn previous_stage(&self, cmd: &Command) -> Option<&Command> {
        self.commands_in(cmd.statement.clone())
            .iter()
            .find(|c| c.statement == cmd.statement && c.stage + 1 == cmd.stage)
    }

    /// Whether two commands act on the same object: identities that are the `same`, or neither
    /// naming one (both act on what the pipeline or the default gives them).
    pub fn same_target(&self, a: &Command, b: &Command) -> bool {
        match (a.identity(), b.identity()) {
            (Some(x), Some(y)) => self.same(x, y),
            (None, None) => true,
            _ => false,
        }
    }
}

/// Overlapping or nested spans joined: sorted and disjoint, for a binary search (`holding`).
pub fn merged(spans: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut all: Vec<Range<usize>> = spans.collect();
    all.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(all.len());
    for r in all {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The span of `merged` spans that holds offset `at`.
pub fn holding(spans: &[Range<usize>], at: usize) -> Option<&Range<usize>> {
    let i = spans.partition_point(|r| r.start <= at);
    spans[..i].last().filter(|r| at < r.end)
}

/// Groups command elements into words: elements with no separator between them belong together
/// (`SMTP,IIS`), and so do a parameter and its value joined by a colon (`-Confirm:$false`, which
/// the grammar splits into parameter, `:` separator, value). The flag says "joined by a colon".
fn words<'t>(elements: Node<'t>, text: &str) -> Vec<(Vec<Node<'t>>, bool)> {
    let mut out: Vec<(Vec<Node>, bool)> = Vec::new();
    let mut cursor = elements.walk();
    let mut fresh = true;
    let mut colon = false;
    for child in elements.children(&mut cursor) {
        if child.kind() == "command_argument_sep" {
            if text
                .get(child.byte_range())
                .is_some_and(|t| t.contains(':'))
            {
                colon = true;
            } else if !colon {
                fresh = true;
            }
            continue;
        }
        let joins_param = colon
            && out
                .last()
                .is_some_and(|(w, _)| w.len() == 1 && w[0].kind() == "command_parameter");
        if joins_param {
            let last = out.last_mut().unwrap();
            last.0.push(child);
            last.1 = true;
        } else if fresh || out.is_empty() || child.kind() == "command_parameter" {
            out.push((vec![child], false));
        } else {
            out.last_mut().unwrap().0.push(child);
        }
        fresh = false;
        colon = false;
    }
    out
}

/// Down through single-child wrappers (`array_literal_expression > unary_expression > ...`).
fn dig(mut node: Node) -> Node {
    while node.named_child_count() == 1
        && !matches!(
            node.kind(),
            "string_literal" | "hash_literal_expression" | "variable"
        )
    {
        match node.named_child(0) {
            Some(c) => node = c,
            None => break,
        }
    }
    node
}

/// Whether the strings below `node` are patterns or markup: the operands of a comparison
/// operator, a cast to `[regex]` or `[xml]`, a call on `[regex]` (`[regex]::Match($s, '...')`),
/// the arguments of a string method that searches (`$s.Contains('...')`).
fn holds_patterns(node: Node, text: &str) -> bool {
    let t = text.get(node.byte_range()).unwrap_or("");
    match node.kind() {
        // The grammar wraps every expression in these; only one with an operator compares (the
        // grammar's operators also build text: `-f`, `-join`, `-as`, shifts).
        "comparison_expression" | "comparison_argument_expression" => {
            const BUILDS: &[&str] = &["-f", "-join", "-as", "-shl", "-shr"];
            let mut cursor = node.walk();
            let compares = node.children(&mut cursor).any(|c| {
                let op = text.get(c.byte_range()).unwrap_or("");
                c.kind() == "comparison_operator"
                    && !BUILDS.iter().any(|b| b.eq_ignore_ascii_case(op))
            });
            compares
        }
        "cast_expression" | "member_access" => pattern_type(t),
        "invokation_expression" => searches(t.split('(').next().unwrap_or("")),
        // In a command's arguments the grammar puts the call's arguments beside its callee.
        "argument_list" => node
            .prev_sibling()
            .and_then(|p| text.get(p.byte_range()))
            .is_some_and(searches),
        _ => false,
    }
}

/// `[regex]...`, `[xml]...`: text read as a pattern or as markup.
fn pattern_type(t: &str) -> bool {
    const TYPES: &[&str] = &["[regex]", "[xml]", "[System.Text.RegularExpressions.Regex]"];
    TYPES
        .iter()
        .any(|p| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
}

/// A call whose arguments are searched for: on `[regex]`, or a string method that searches.
fn searches(callee: &str) -> bool {
    const SEARCHES: &[&str] = &[
        "Contains",
        "StartsWith",
        "EndsWith",
        "IndexOf",
        "Replace",
        "Split",
        "Equals",
        "Match",
        "Matches",
        "IsMatch",
    ];
    let method = callee.rsplit(['.', ':']).next().unwrap_or("").trim();
    pattern_type(callee) || SEARCHES.iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// Whether `child` of `node` is a loop's body: a loop statement's block, or the arguments of
/// `ForEach-Object` (`%`, `foreach`), whose script block runs once per item.
fn opens_loop(node: Node, child: Node, text: &str) -> bool {
    match node.kind() {
        "foreach_statement" | "for_statement" | "while_statement" | "do_statement" => {
            child.kind() == "statement_block"
        }
        "command" if child.kind() == "command_elements" => {
            let name = node
                .child_by_field_name("command_name")
                .and_then(|n| text.get(n.byte_range()))
                .unwrap_or("");
            ["ForEach-Object", "%", "foreach"]
                .iter()
                .any(|f| name.eq_ignore_ascii_case(f))
        }
        _ => false,
    }
}

fn unquote(text: &str) -> &str {
    let t = text.trim();
    for (open, close) in [("@\"", "\"@"), ("@'", "'@"), ("\"", "\""), ("'", "'")] {
        if t.len() >= open.len() + close.len() && t.starts_with(open) && t.ends_with(close) {
            return t[open.len()..t.len() - close.len()].trim_matches(['\r', '\n']);
        }
    }
    t
}

fn variable(text: &str) -> ValueKind {
    if let Some(name) = text.strip_prefix('@') {
        return ValueKind::Splat(name.to_ascii_lowercase());
    }
    let Some(name) = text.strip_prefix('$') else {
        return ValueKind::Other;
    };
    let name = name.trim_start_matches('{').trim_end_matches('}');
    let name = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    match name.as_str() {
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "null" => ValueKind::Null,
        _ => ValueKind::Variable(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &str) -> Vec<Command> {
        let tree = crate::script::parse(text, None).unwrap();
        Script::new(text, &tree, crate::knowledge::catalog()).commands
    }

    #[test]
    fn colon_bound_values_and_switches() {
        let c = &script("Set-X -Confirm:$false -A:1 -B: 2 -Force -C $true\n")[0];
        let p = |n: &str| c.param(n).unwrap();
        assert!(p("Confirm").colon);
        assert_eq!(
            p("Confirm").value.as_ref().unwrap().kind,
            ValueKind::Bool(false)
        );
        assert_eq!(p("A").value.as_ref().unwrap().text, "1");
        assert_eq!(p("B").value.as_ref().unwrap().text, "2");
        assert!(p("Force").value.is_none(), "a common switch takes no value");
        assert_eq!(p("C").value.as_ref().unwrap().kind, ValueKind::Bool(true));
        assert_eq!(
            &"Set-X -Confirm:$false -A:1"[p("Confirm").full_range()],
            "-Confirm:$false"
        );
    }

    #[test]
    fn variables_splats_and_pipelines() {
        let text = "$tz = 'W. Europe Standard Time'\n$p = @{ Services = 'SMTP'; Force = $true }\nNew-ExchangeCertificate @p\nSet-X -Zone $tz\nGet-Y | FL Prop\n";
        let tree = crate::script::parse(text, None).unwrap();
        let s = Script::new(text, &tree, crate::knowledge::catalog());
        let cert = s
            .commands
            .iter()
            .find(|c| c.is("New-ExchangeCertificate"))
            .unwrap();
        assert_eq!(
            cert.param("Services")
                .unwrap()
                .value
                .as_ref()
                .unwrap()
                .as_str(),
            Some("SMTP")
        );
        let zone = s
            .commands
            .iter()
            .find(|c| c.is("Set-X"))
            .unwrap()
            .param("Zone")
            .unwrap();
        assert_eq!(
            s.resolve(zone.value.as_ref().unwrap()).as_str(),
            Some("W. Europe Standard Time")
        );
        let fl = s.commands.iter().find(|c| c.is("FL")).unwrap();
        assert!(s.previous_stage(fl).unwrap().is("Get-Y"));
    }

    #[test]
    fn switch_values_written_with_a_colon_bind_to_the_switch() {
        // The grammar splits `-Force:$false` into parameter, `:` separator and value; the value
        // is the switch's, not a positional, however it is written.
        let text = "New-ExchangeCertificate -Services SMTP -Force:$false -Conf: $false -WhatIf:`\n  0 Name\n";
        let tree = crate::script::parse(text, None).unwrap();
        let s = Script::new(text, &tree, crate::knowledge::catalog());
        let c = &s.commands[0];
        let on = |full: &str| s.switch(c.param(full).unwrap());
        assert_eq!(on("Force"), Some(false));
        assert_eq!(on("Confirm"), Some(false));
        assert_eq!(on("WhatIf"), Some(false));
        assert_eq!(
            on("Services"),
            Some(true),
            "a bare word after a space is a value"
        );
        let positionals: Vec<&str> = c.positionals.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(positionals, ["Name"]);
        let force = c.param("Force").unwrap();
        assert_eq!(&text[force.full_range()], "-Force:$false");
    }

    #[test]
    fn list_items_without_quotes() {
        let text = "Set-X -A @('a', \"b\") -B c,d -C e\n";
        let c = &script(text)[0];
        let items = |n: &str| -> Vec<&str> {
            c.value(n)
                .unwrap()
                .items()
                .into_iter()
                .map(|r| &text[r])
                .collect()
        };
        assert_eq!(items("A"), ["a", "b"]);
        assert_eq!(items("B"), ["c", "d"]);
        assert_eq!(items("C"), ["e"]);
    }

    #[test]
    fn commands_know_whether_they_stand_in_a_loop_body() {
        let text = "\
Set-A
foreach ($i in (Get-B)) { Set-C }
for ($i = 0; $i -lt 2; $i++) { Set-D }
while ($true) { Set-E; break }
do { Set-F } while ($false)
1..2 | ForEach-Object { Set-G }
1..2 | % { if ($_) { Set-H } }
if ($x) { Set-I }
& { Set-J }
# foreach ($i in 1..2) { Set-K }
";
        let looped: Vec<String> = script(text)
            .into_iter()
            .filter(|c| c.in_loop)
            .map(|c| c.name)
            .collect();
        assert_eq!(
            looped,
            ["Set-C", "Set-D", "Set-E", "Set-F", "Set-G", "Set-H"]
        );
    }

    #[test]
    fn strings_that_are_patterns_are_told_from_values() {
        let text = r#"$a = 'value'
if ($x -like '*cmp*') { Set-X -Identity 'arg' }
$b = 'fmt {0}' -f 'item'
$c = [regex]::Match($s, 're').Value
$d = [xml]'<x/>'
Set-Y -Url $t.Replace('old', 'new') -Name "n$('sub')"
Get-Z | Where-Object { $_.N -eq 'where' }
if ((Get-W -Identity 'inner') -eq $null) {}
"#;
        let tree = crate::script::parse(text, None).unwrap();
        let s = Script::new(text, &tree, crate::knowledge::catalog());
        let quoted = |list: &[Range<usize>]| -> Vec<String> {
            list.iter()
                .map(|r| text[r.clone()].trim_matches(['\'', '"']).to_string())
                .collect()
        };
        assert_eq!(
            quoted(&s.patterns),
            ["*cmp*", "re", "<x/>", "old", "new", "where"],
            "a command's argument inside a comparison ('inner') is a value again"
        );
        assert_eq!(
            quoted(&s.strings),
            [
                "value",
                "*cmp*",
                "arg",
                "fmt {0}",
                "item",
                "re",
                "<x/>",
                "old",
                "new",
                "n$('sub')",
                "sub",
                "where",
                "inner"
            ]
        );
    }

    #[test]
    fn same_target_compares_identities_as_values() {
        let text = "$m = 'Room1'\nSet-X -Identity room1\nSet-X $m\nSet-X room2\nGet-Y | Set-X\nSet-X -Force\n";
        let tree = crate::script::parse(text, None).unwrap();
        let s = Script::new(text, &tree, crate::knowledge::catalog());
        let c: Vec<&Command> = s.commands.iter().filter(|c| c.is("Set-X")).collect();
        assert!(
            s.same_target(c[0], c[1]),
            "a variable holding the same name"
        );
        assert!(!s.same_target(c[0], c[2]));
        assert!(s.same_target(c[3], c[4]), "neither names an object");
        assert!(!s.same_target(c[0], c[3]));
    }
}
