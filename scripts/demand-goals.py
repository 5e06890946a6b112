#!/usr/bin/env python3
"""The demand policy's goal table (issue 20), measured, not written by hand.

For every shipped trace: the default file (examples/chess-demand.yaml: `policy: demand` and no
other demand key) against a sweep of fixed margins of the same file, through the release build's
`gamefleet simulate --output json`. Prints one row per trace: cost (× the lower bound), share of
players sent to the backup, the bursts after the first two, and whether a margin setting is at least
as cheap and at least as good for the backup (dominated). Every cell is printed, met or missed.

    swift build -c release --product gamefleet && scripts/demand-goals.py
    scripts/demand-goals.py --config my-fleet.yaml --traces day,bullet
"""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SWEEP = ["policy=margin", "upscaleMargin=10,20,40,80,160,320,640,1280,2560",
         "downscaleMargin=40,80,160,320,640,1280,2560,5120"]
# The goals: ≤ 0.5 % to the backup at ≤ 1.2× on these; ≤ 1 % in bursts after the first two.
DAILY = {"day", "week", "bullet"}


def simulate(binary, config, trace, *extra):
    command = [str(binary), "simulate", "-c", str(config), "--trace", str(trace), "--output", "json", *extra]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=ROOT / "examples/chess-demand.yaml")
    parser.add_argument("--binary", default=ROOT / ".build/release/gamefleet")
    parser.add_argument("--traces", help="comma-separated names from examples/traces (default: all)")
    parser.add_argument("--money", action="store_true",
                        help="print the money table instead (a day and a month for the default, the margin policy, the old rules, "
                             "a fixed fleet for the peak and the lower bound; no sweep)")
    parser.add_argument("--before", help="another fleet.yaml to show beside the default (e.g. the file as it was)")
    args = parser.parse_args()
    if not pathlib.Path(args.binary).exists():
        sys.exit(f"{args.binary} not found: swift build -c release --product gamefleet")
    traces = sorted((ROOT / "examples/traces").glob("*.csv"))
    if args.traces:
        wanted = set(args.traces.split(","))
        traces = [t for t in traces if t.stem in wanted]

    if args.money:
        print_money(args, traces)
        return
    print(f"config {args.config}; simulate's defaults (seed 1); cost × the lower bound, share to the backup")
    print(f"{'trace':<12} {'default':>16} {'a month; saved vs fixed fleet':>32} {'before':>16} {'margin 40/80':>16} "
          f"{'later bursts':>14} {'dominated by':>34}  goals")
    for trace in traces:
        report = simulate(args.binary, args.config, trace)
        ours = report["gamefleet"]
        cost, backup = ours["lowerBoundRatio"], ours["backupPercent"]
        bursts = report.get("bursts") or []
        later = bursts[2:]
        if later:
            sent = sum(b["sentToBackup"] for b in later)
            arrivals = sum(b["arrivals"] for b in later)
            later_share = 100.0 * sent / arrivals if arrivals else 0.0
            later_text = f"{later_share:.2f}% ({len(later)})"
        else:
            later_share, later_text = None, "(none)"
        money = report.get("money")
        if money:
            month, fixed = money["gamefleet"]["spent"]["perMonth"], money["fixedForPeak"]["spent"]["perMonth"]
            money_text = f"{month:,.2f}; {fixed - month:,.2f} ({100 * (fixed - month) / fixed:.0f}%)"
        else:
            money_text = "(no cost:)"
        if args.before:
            was = simulate(args.binary, args.before, trace)["gamefleet"]
            before_text = f"{was['lowerBoundRatio']:.2f}×, {was['backupPercent']:.2f}%"
        else:
            before_text = "-"
        sweep = simulate(args.binary, args.config, trace, "--sweep", *SWEEP)
        margin = next((c["outcome"] for c in sweep["cells"] if c["values"][1:] == [40, 80]), None)
        margin_text = f"{margin['lowerBoundRatio']:.2f}×, {margin['backupPercent']:.2f}%" if margin else "-"
        dominating = [c for c in sweep["cells"]
                      if c["outcome"]["lowerBoundRatio"] <= cost and c["outcome"]["backupPercent"] <= backup
                      and (c["outcome"]["lowerBoundRatio"] < cost or c["outcome"]["backupPercent"] < backup)]
        if dominating:
            best = min(dominating, key=lambda c: (c["outcome"]["lowerBoundRatio"], c["outcome"]["backupPercent"]))
            names = dict(zip([p if isinstance(p, str) else p.get("name", "?") for p in sweep["parameters"]], best["values"]))
            by = f"{names.get('upscaleMargin')}/{names.get('downscaleMargin')}: {best['outcome']['lowerBoundRatio']:.2f}×, {best['outcome']['backupPercent']:.2f}%"
        else:
            by = "no"
        goals = ["not dominated: " + ("met" if not dominating else "MISSED")]
        if trace.stem in DAILY:
            goals.append("≤ 0.5% at ≤ 1.2×: " + ("met" if backup <= 0.5 and cost <= 1.2 else "MISSED"))
        if later_share is not None:
            goals.append("later bursts ≤ 1%: " + ("met" if later_share <= 1.0 else "MISSED"))
        print(f"{trace.stem:<12} {cost:>8.2f}×, {backup:5.2f}% {money_text:>32} {before_text:>16} {margin_text:>16} "
              f"{later_text:>14} {by:>34}  {'; '.join(goals)}")
        sys.stdout.flush()


def print_money(args, traces):
    print(f"config {args.config}; a month is 30 days; (share to the backup); fixed fleet: (servers)")
    print(f"{'trace':<12} {'default, a day':>14} {'a month':>20} {'margin 40/80':>20} {'old rules':>20} {'fixed for the peak':>20} {'lower bound':>12}")
    for trace in traces:
        report = simulate(args.binary, args.config, trace)
        money = report.get("money")
        if not money:
            sys.exit(f"{args.config} has no cost: section")
        def month(key, run=None):
            text = f"{money[key]['spent']['perMonth']:,.2f}"
            return text + (f" ({report[run]['backupPercent']:.2f}%)" if run else "")
        print(f"{trace.stem:<12} {money['gamefleet']['spent']['perDay']:>14,.2f} {month('gamefleet', 'gamefleet'):>20} "
              f"{month('otherPolicy', 'otherPolicy'):>20} {month('oldRules', 'oldRules'):>20} "
              f"{month('fixedForPeak') + ' (' + format(money['fixedServers'], ',') + ')':>20} {month('lowerBound'):>12}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
