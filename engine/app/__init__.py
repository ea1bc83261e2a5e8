"""The workbench: `trialcheck serve`, a local web application and HTTP API over a folder of case files.

A face like ``engine/cli``: it may import every pipeline stage, and nothing imports it except the
`serve` command (lazily, so `trialcheck check` never loads it). Needs the `serve` extra:
``pip install '.[serve]'`` (FastAPI, uvicorn, python-multipart, ruamel.yaml).
"""
