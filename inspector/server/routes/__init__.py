"""Thin routes: authorise, parse, call one service, shape the answer."""
