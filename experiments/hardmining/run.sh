#!/usr/bin/env bash
# Hard sample mining experiment (Wang et al., ICASSP 2022) on the built-in synthetic corpus, through
# './sampler experiment': the systems of experiments/hardmining/experiment.yaml (configs of
# examples/hardmining/) x seeds, each evaluated on one fixed set of 300 test mixtures, with means and
# 95% intervals over seeds. Steps, all under work/ (git-ignored) and each reused when already done:
#   1. corpus synth        work/corpus (the demo's corpus: same options, byte-identical files)
#   2. pitch               work/pitch-{train,test}.tsv
#   3. x-vector model      trained to convergence by validation EER: XVECTOR_EPOCHS lengths in turn (each
#                          continues the previous one with --resume), stopping at the first whose EER on
#                          the validation speakers is not lower than the best so far; the best is kept
#   4. mining tables       work/pitch-hard.tsv (P_M 2%), work/xvector-hard.tsv (P_M 4%), training split only
#   5. sampler experiment  work/exp (runs in work/exp/<system>/seed-<s>/), then once more to check that
#                          every run is reused (nothing retrains)
#   6. analyze             correlation of SI-SNRi with pitch / x-vector / energy on the DM runs' test mixtures
#   7. report              experiments/hardmining/RESULTS.md, results.json, results.png, fig2.png,
#                          correlations.json (report.py)
#
#   experiments/hardmining/run.sh            # everything; finished steps are reused (delete work/ to redo)
#   REPORT_ONLY=1 experiments/hardmining/run.sh   # only step 7 from what work/ holds
#
# Environment: XVECTOR_EPOCHS (default "100 150 200 250 300"), NICE (default 5: every sampler command runs
# under 'nice -n $NICE', the machine being shared).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/work"
XVECTOR_EPOCHS="${XVECTOR_EPOCHS:-100 150 200 250 300}"
S=(nice -n "${NICE:-5}" "$ROOT/sampler")
mkdir -p "$WORK"
[ -f "$WORK/started_at" ] || date +%s > "$WORK/started_at"  # a rerun counts from the first start
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$WORK/run.log"; }
phase() {  # phase NAME START: append the phase's wall seconds
  echo -e "$1\t$(( $(date +%s) - $2 ))" >> "$WORK/phases.tsv"
}
quiet() { tr '\r' '\n' | grep -av -e '^train ' -e '^evaluate ' -e '^embed ' -e 'WARN ai.djl' -e 'INFO ai.djl' || true; }

if [ "${REPORT_ONLY:-0}" != 1 ]; then
  # machine and load while this runs (one uptime line a minute, appended across reruns)
  { lscpu | head -20; echo; nproc; } > "$WORK/lscpu.txt"
  ( while true; do echo "$(date +%s) $(uptime)" >> "$WORK/load.log"; sleep 60; done ) &
  LOAD_PID=$!
  trap 'kill "$LOAD_PID" 2>/dev/null || true' EXIT
  git -C "$ROOT" rev-parse HEAD > "$WORK/commit"
  git -C "$ROOT" status --porcelain > "$WORK/git-status"

  # 1. corpus
  C="$WORK/corpus"
  if [ ! -f "$WORK/corpus.done" ]; then
    t0=$(date +%s); rm -rf "$C"
    log "corpus: synthesising $C"
    "${S[@]}" corpus synth --speakers 40 --utterances 12 --seconds 3 --sample-rate 8000 --seed 20261122 \
      --valid-speakers 4 --test-speakers 4 --out "$C" 2>&1 | quiet | tee -a "$WORK/run.log"
    touch "$WORK/corpus.done"; phase corpus "$t0"
  fi

  # 2. pitch
  for split in train test; do
    if [ ! -f "$WORK/pitch-$split.tsv" ]; then
      t0=$(date +%s)
      "${S[@]}" pitch --data "$C/$split" --out "$WORK/pitch-$split.tsv" 2>&1 | quiet | tee -a "$WORK/run.log"
      phase "pitch-$split" "$t0"
    fi
  done

  # 3. x-vector model to convergence (validation EER as the stop rule)
  XV="$WORK/xvec"; mkdir -p "$XV"
  eer() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["eer_percent"])' "$1"; }
  prev=""; best=""; best_eer=""
  for e in $XVECTOR_EPOCHS; do
    run="$XV/e$e"
    if [ ! -f "$XV/e$e.done" ]; then
      t0=$(date +%s); rm -rf "$run"
      if [ -z "$prev" ]; then
        log "x-vector: training $e epochs"
        "${S[@]}" train --config "$ROOT/examples/xvector.yaml" --set "train.epochs=$e" --data "$C/train" --out "$run" \
          2>&1 | quiet | tee -a "$WORK/run.log"
      else
        log "x-vector: continuing e$prev to $e epochs"
        cp -r "$XV/e$prev" "$run"
        "${S[@]}" train --resume --config "$ROOT/examples/xvector.yaml" --set "train.epochs=$e" --data "$C/train" \
          --out "$run" 2>&1 | quiet | tee -a "$WORK/run.log"
      fi
      for split in valid test; do
        "${S[@]}" evaluate --checkpoint "$run" --data "$C/$split" --out "$XV/eval-e$e-$split" 2>&1 | quiet >> "$WORK/run.log"
      done
      echo $(( $(date +%s) - t0 )) > "$XV/e$e.seconds"
      touch "$XV/e$e.done"; phase "xvector-e$e" "$t0"
    fi
    v=$(eer "$XV/eval-e$e-valid/summary.json")
    log "x-vector: $e epochs: validation EER $v%, test EER $(eer "$XV/eval-e$e-test/summary.json")%"
    prev=$e
    if [ -z "$best" ] || python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$v" "$best_eer"; then
      best=$e; best_eer=$v
    else
      log "x-vector: no lower validation EER than $best_eer% at $best epochs: stopping"
      break
    fi
  done
  if [ "$(cat "$XV/selected" 2>/dev/null)" != "$best" ]; then
    echo "$best" > "$XV/selected"
    rm -f "$WORK"/xvectors-*.ark "$WORK/xvector-hard.tsv"   # made from another model: redo
  fi
  log "x-vector: using the $best-epoch model (validation EER $best_eer%)"
  for split in train test; do
    if [ ! -f "$WORK/xvectors-$split.ark" ]; then
      "${S[@]}" embed --checkpoint "$XV/e$best" --data "$C/$split" --out "$WORK/xvectors-$split.ark" 2>&1 | quiet >> "$WORK/run.log"
    fi
  done

  # 4. global hard sample mining on the training split
  if [ ! -f "$WORK/pitch-hard.tsv" ]; then
    "${S[@]}" mine --data "$C/train" --by pitch --pitch "$WORK/pitch-train.tsv" --fraction 0.02 \
      --out "$WORK/pitch-hard.tsv" 2>&1 | quiet > "$WORK/mine-pitch.log"
  fi
  if [ ! -f "$WORK/xvector-hard.tsv" ]; then
    "${S[@]}" mine --data "$C/train" --by xvector --embeddings "$WORK/xvectors-train.ark" --fraction 0.04 \
      --out "$WORK/xvector-hard.tsv" 2>&1 | quiet > "$WORK/mine-xvector.log"
  fi
  cat "$WORK/mine-pitch.log" "$WORK/mine-xvector.log" | tee -a "$WORK/run.log"

  # 5. the experiment: every system x seed, resumable; then once more, which must train nothing
  [ -f "$WORK/experiment.started" ] || date +%s > "$WORK/experiment.started"  # the phase counts from the first start
  t0=$(cat "$WORK/experiment.started")
  log "experiment: $HERE/experiment.yaml -> $WORK/exp"
  "${S[@]}" experiment --spec "$HERE/experiment.yaml" --out "$WORK/exp" 2>&1 | quiet | tee -a "$WORK/experiment.log"
  phase experiment "$t0"
  "${S[@]}" experiment --spec "$HERE/experiment.yaml" --out "$WORK/exp" 2>&1 | quiet > "$WORK/experiment-rerun.log"
  if grep -q '^experiment: .*, seed ' "$WORK/experiment-rerun.log"; then
    log "experiment: the second pass ran something again:"; grep '^experiment: ' "$WORK/experiment-rerun.log"; exit 1
  fi
  log "experiment: second pass reused every run"

  # 6. correlation analysis (paper Fig. 2) of each DM run on the test mixtures
  for ev in "$WORK"/exp/dm/seed-*/test; do
    s=$(basename "$(dirname "$ev")")
    [ -f "$WORK/analysis/dm-$s/correlations.json" ] || "${S[@]}" analyze --eval "$ev" --pitch "$WORK/pitch-test.tsv" \
      --embeddings "$WORK/xvectors-test.ark" --data "$C/test" --out "$WORK/analysis/dm-$s" 2>&1 | quiet >> "$WORK/run.log"
  done
  date +%s > "$WORK/ended_at"
fi

# 7. report
python3 "$HERE/report.py" "$WORK" "$HERE"
log "done in $(( $(cat "$WORK/ended_at") - $(cat "$WORK/started_at") )) s: $HERE/RESULTS.md"
