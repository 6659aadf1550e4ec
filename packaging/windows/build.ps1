# Builds the Windows installer on a Windows machine (PowerShell 5+, Python 3.11+ x64, Inno Setup 6):
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# 1. a venv with the project and its test extra (PyInstaller), 2. the one-folder bundle from
# packaging\pos.spec, 3. the bundle's --self-test (offscreen: training sale printed to a file),
# 4. the installer from pos.iss -> dist\pos-<version>-setup.exe. Stops at the first failure.
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

$Python = if ($env:PYTHON) { $env:PYTHON } else { "py -3.11" }
if (-not (Test-Path ".venv\Scripts\python.exe")) {
    Invoke-Expression "$Python -m venv .venv"
}
$Venv = Join-Path $Root ".venv\Scripts\python.exe"
& $Venv -m pip install -q -e ".[test]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

$Version = & $Venv -c "import pos; print(pos.__version__)"
Write-Host "== PyInstaller bundle (pos $Version)"
& $Venv -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist\bundle --workpath dist\work packaging\pos.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

Write-Host "== self-test of the bundle"
# pos.exe is a window application (no console): wait for it; it writes self-test.json.
$SelfTest = Start-Process -FilePath "dist\bundle\pos\pos.exe" `
    -ArgumentList "--self-test", "$Root\dist\self-test" -Wait -PassThru
Get-Content "dist\self-test\self-test.json"
if ($SelfTest.ExitCode -ne 0) { throw "the bundle's self-test failed" }

Write-Host "== Inno Setup"
$Iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) is not installed: https://jrsoftware.org/isdl.php" }
$BundleDir = Resolve-Path "dist\bundle\pos"
& $Iscc "/DAppVersion=$Version" "/DBundle=$BundleDir" "packaging\windows\pos.iss"
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "== done: dist\pos-$Version-setup.exe"
