@echo off
rem Check the content and the built site: double-click this file and read the list of problems.
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel% equ 0 (
    py -3 build.py check
) else (
    python build.py check
)
echo.
pause
