"""Rendering: the papers (decision, proposal, tally minutes as PDF) and the process diagram (SVG).

Pure functions of plain data: nothing here reads the database or the engine, so what is signed
or drawn depends only on what the caller hands over.
"""
