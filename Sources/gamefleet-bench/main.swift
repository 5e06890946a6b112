// gamefleet-bench: prints figures; asserts nothing.
// swift run -c release gamefleet-bench [all|planner|allocation|simulation]
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "all" || which == "planner" { plannerBenchmark() }
if which == "all" || which == "allocation" { allocationBenchmark() }
if which == "all" || which == "simulation" { simulationBenchmark() }
