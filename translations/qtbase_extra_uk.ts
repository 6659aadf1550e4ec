<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk_UA">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>&amp;Шукати в:</translation></message>
    <message><source>Files of &amp;type:</source><translation>&amp;Тип файлів:</translation></message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message><source>Double Sided Printing</source><translation>Двобічний друк</translation></message>
    <message><source>Off</source><translation>Вимкнено</translation></message>
    <message><source>Long side binding</source><translation>Зшивання по довгому краю</translation></message>
    <message><source>Short side binding</source><translation>Зшивання по короткому краю</translation></message>
    <message><source>Page &amp;Set:</source><translation>&amp;Набір сторінок:</translation></message>
    <message><source>Pages</source><translation>Сторінки</translation></message>
    <message><source>Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.</source><translation>Вкажіть сторінки або діапазони через кому. Діапазон — два числа через дефіс. Напр.: 3,5-7,9 друкує сторінки 3, 5, 6, 7 і 9.</translation></message>
</context>
</TS>
