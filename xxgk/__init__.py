"""xxgk"""
