// gamefleet-bench: prints figures; asserts nothing. Run with `swift run -c release gamefleet-bench [planner]`.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "all" || which == "planner" { plannerBenchmark() }
