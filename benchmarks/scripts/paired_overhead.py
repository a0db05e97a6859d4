#!/usr/bin/env python3
"""Overhead of our side over the bare DJL side from a paired TrainingLoopBenchmark run.

Reads JMH's JSON (-rf json) of pairedLoopSteps / pairedRunSteps / pairedThreadedSteps and prints,
per benchmark, the per-fork ratios sum(ours) / sum(bare) - 1 of wall and CPU time per step, and
their mean over forks with a 95% t interval (forks are the independent replicates: each is a
fresh JVM, model and trainer).

usage: paired_overhead.py RESULT.json [...]
"""
import json
import math
import sys

# two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042]


def interval(xs):
    n = len(xs)
    mean = sum(xs) / n
    if n < 2:
        return mean, float('nan')
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    t = T975[n - 2] if n - 2 < len(T975) else 1.96
    return mean, t * sd / math.sqrt(n)


def main(paths):
    for path in paths:
        for r in json.load(open(path)):
            sec = r.get('secondaryMetrics', {})
            if 'maskedNanos' in sec:
                head(path, r, sec)
                continue
            if 'bareWallNanos' not in sec:
                continue
            name = r['benchmark'].rsplit('.', 1)[-1]
            params = r.get('params') or {}
            raw = {k: sec[k]['rawData'] for k in ('bareWallNanos', 'oursWallNanos', 'bareCpuNanos',
                                                  'oursCpuNanos', 'pairs')}
            forks = len(raw['pairs'])
            print(f"{path}: {name} {params} ({forks} forks)")
            wall, cpu = [], []
            for f in range(forks):
                s = {k: sum(v[f]) for k, v in raw.items()}
                wall.append(s['oursWallNanos'] / s['bareWallNanos'] - 1)
                cpu.append(s['oursCpuNanos'] / s['bareCpuNanos'] - 1)
                print(f"  fork {f + 1}: {int(s['pairs'])} pairs; bare {s['bareWallNanos'] / s['pairs'] / 1e6:.1f} ms"
                      f" wall, {s['bareCpuNanos'] / s['pairs'] / 1e6:.1f} ms CPU per step; ours "
                      f"{s['oursWallNanos'] / s['pairs'] / 1e6:.1f} ms wall, {s['oursCpuNanos'] / s['pairs'] / 1e6:.1f}"
                      f" ms CPU; overhead wall {100 * wall[-1]:+.2f}%, CPU {100 * cpu[-1]:+.2f}%"
                      + (f"; of which rendering {sum(sec['oursRenderCpuNanos']['rawData'][f]) / s['pairs'] / 1e6:.2f} ms"
                         if 'oursRenderCpuNanos' in sec else '')
                      + (f"; mean |loss gap| {sum(sec['lossGap']['rawData'][f]) / s['pairs']:.4f}"
                         if 'lossGap' in sec else ''))
            for label, xs in (('wall', wall), ('CPU', cpu)):
                m, h = interval(xs)
                print(f"  overhead, {label}: {100 * m:+.2f}% (95% interval {100 * (m - h):+.2f}% to "
                      f"{100 * (m + h):+.2f}%, over {forks} forks)")


def head(path, r, sec):
    """DropClassBenchmark.pairedHeadSteps: the masked head step against the unmasked one."""
    masked, unmasked, pairs = (sec[k]['rawData'] for k in ('maskedNanos', 'unmaskedNanos', 'pairs'))
    print(f"{path}: {r['benchmark'].rsplit('.', 1)[-1]} {r.get('params') or {}} ({len(pairs)} forks)")
    ratios = []
    for f in range(len(pairs)):
        n = sum(pairs[f])
        ratios.append(sum(masked[f]) / sum(unmasked[f]) - 1)
        print(f"  fork {f + 1}: {int(n)} pairs; masked {sum(masked[f]) / n / 1e6:.2f} ms, unmasked "
              f"{sum(unmasked[f]) / n / 1e6:.2f} ms per step; masked {100 * ratios[-1]:+.2f}%")
    m, h = interval(ratios)
    print(f"  masked against unmasked: {100 * m:+.2f}% (95% interval {100 * (m - h):+.2f}% to {100 * (m + h):+.2f}%)")


if __name__ == '__main__':
    main(sys.argv[1:])
