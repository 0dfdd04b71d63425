@echo off
rem Live preview of the site: double-click this file. Close the window or press Ctrl+C to stop.
rem Guide for editors: see the docs folder.
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel% equ 0 (
    py -3 build.py serve --open
) else (
    python build.py serve --open
)
if errorlevel 1 pause
