; Inno Setup recipe of the Windows installer (Inno Setup 6): build.ps1 compiles it with
;   ISCC.exe /DAppVersion=<version> /DBundle=<dist\pos> packaging\windows\pos.iss
;
; Installs the PyInstaller one-folder bundle into Program Files, a Start-menu entry (and an
; optional desktop icon), and an uninstaller. The uninstaller removes only what it installed:
; the shop's journal, settings, secrets and logs live in the user's platformdirs folders
; (%LOCALAPPDATA%\pos, its Logs subfolder) and stay, so a reinstall or an upgrade finds every
; receipt and offline code where it was. There is deliberately no [UninstallDelete] for them.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Bundle
  #define Bundle "..\..\dist\bundle\pos"
#endif

[Setup]
AppId={{6F1B5D3A-6C55-4E0B-9E55-2B7C1A0F5C11}
AppName=POS
AppVersion={#AppVersion}
AppVerName=POS {#AppVersion}
AppPublisher=POS developers
DefaultDirName={autopf}\POS
DefaultGroupName=POS
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=pos-{#AppVersion}-setup
SetupIconFile=..\icons\pos.ico
UninstallDisplayIcon={app}\pos.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "ukrainian"; MessagesFile: "compiler:Languages\Ukrainian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\POS"; Filename: "{app}\pos.exe"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,POS}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\POS"; Filename: "{app}\pos.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\pos.exe"; Description: "{cm:LaunchProgram,POS}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the bundle's own caches; never %LOCALAPPDATA%\pos (the shop's data).
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
