"""Scorecard: validate, score and publish a cited scorecard of external model evaluation.

The flow is one direction: load (strict YAML) → validate (schemas, rules) → model → score →
render → site. See README.md and the SPEC-derived docs in docs/.
"""
