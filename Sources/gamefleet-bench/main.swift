// gamefleet-bench: prints figures; asserts nothing.
// swift run -c release gamefleet-bench [all|planner|simulation]
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "all" || which == "planner" { plannerBenchmark() }
if which == "all" || which == "simulation" { simulationBenchmark() }
